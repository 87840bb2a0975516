import Foundation
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Catalog §6 checks for kirschner_panetta1998 (paper form of the IL-2 term).
///
/// The tumour falls to T << 1 in troughs and under therapy, so the solver runs in linear variables with
/// rtol 1e-10 and atol 1e-14 (the catalog warns that a loose atol lets T go negative); values down to
/// ~1e-10 cells are then resolved. The catalog's regression numbers are printed to 2-3 digits and
/// are compared to half a unit of the last printed digit.
@Suite struct KirschnerPanettaChecks {
    static let name = "kirschner_panetta1998"
    static let options = SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14)

    static func parameters() throws -> [String: Double] { ModelEvaluator(try ModelLibrary.model(named: name)).parameters }

    @Test func noAntigenicity() throws {
        let r = try Library.simulate(Self.name, times: [3000], inputs: ["c": 0], options: Self.options)
        expectClose(r["T", 0], 1e9, rtol: 1e-6, "T(3000) with c = 0 (carrying capacity 1/b)")
        #expect(r["E", 0] < 1e-10, "effectors die out without antigenicity")
    }

    /// Tumour-free state with ACI: E = s1/mu2, T = IL = 0. Its stability in the T direction is
    /// d(dT/dt)/dT = r2 - a*s1/(mu2*g2), so the threshold is s1 = r2*mu2*g2/a = 540.
    @Test func aciThreshold() throws {
        let p = try Self.parameters()
        let threshold = p["r2"]! * p["mu2"]! * p["g2"]! / p["a"]!
        expectClose(threshold, 540, rtol: 1e-12, "r2*mu2*g2/a")
        var evaluator = ModelEvaluator(try ModelLibrary.model(named: Self.name))
        for (s1, stable) in [(539.0, false), (541.0, true)] {
            evaluator.parameters["s1"] = s1
            let j = evaluator.jacobian(["E": s1 / p["mu2"]!, "T": 0, "IL": 0], variables: ["E", "T", "IL"])
            #expect((j[1][1] < 0) == stable, "s1 = \(s1): d(dT/dt)/dT = \(j[1][1])")
        }
        // Numerically, from (1, 1, 1), for several antigenicities (catalog regression values).
        for c in [0.01, 0.02, 0.035, 0.05] {
            let days = Library.grid(0, 1500, step: 1)
            func run(_ s1: Double) throws -> [Double] {
                try #require(try Library.simulate(Self.name, times: days, inputs: ["c": c, "s1": s1], options: Self.options).series("T"))
            }
            let at540 = try run(540).last!
            #expect(at540 > 30 && at540 < 300, "c = \(c), s1 = 540: T(1500) = \(at540), catalog ~40-250")
            let at560 = try run(560).last!
            #expect(at560 < 1, "c = \(c), s1 = 560: T(1500) = \(at560), catalog < 1 cell")
            let cleared600 = try #require(try run(600).firstIndex { $0 < 1e-6 })
            expectClose(days[cleared600], 1020, atol: 10, "c = \(c), s1 = 600: first day with T < 1e-6 (catalog ~1020)")
            let cleared1000 = try #require(try run(1000).firstIndex { $0 < 1e-6 })
            expectClose(days[cleared1000], 162, atol: 1, "c = \(c), s1 = 1000: first day with T < 1e-6 (catalog 162)")
        }
    }

    /// IL-2 alone, tumour-free (T = 0, IL at its steady state s2/mu3): E(t) = E0*exp(g t) with
    /// g = p1*IL/(g1 + IL) - mu2, positive iff s2 > mu3*g1*mu2/(p1 - mu2) = 6.35e7. The BioModels rate
    /// law p1*E*IL/g1 would give g > 0 already above 4.82e7, so s2 = 5.5e7 discriminates the bug.
    @Test func il2Threshold() throws {
        let p = try Self.parameters()
        let threshold = p["mu3"]! * p["g1"]! * p["mu2"]! / (p["p1"]! - p["mu2"]!)
        expectClose(threshold, 6.35e7, atol: 5e5, "IL-2 threshold (paper form)")
        expectClose(p["mu3"]! * p["g1"]! * p["mu2"]! / p["p1"]!, 4.82e7, atol: 5e5, "threshold with the BioModels rate law")
        for s2 in [5.5e7, 0.99 * threshold, 1.01 * threshold, 7e7] {
            let il = s2 / p["mu3"]!
            let r = try Library.simulate(Self.name, times: [200], inputs: ["s2": s2, "T": 0, "E": 1, "IL": il], options: Self.options)
            let growth = log(r["E", 0]) / 200
            let expected = p["p1"]! * il / (p["g1"]! + il) - p["mu2"]!
            expectClose(growth, expected, rtol: 1e-6, "effector growth rate at s2 = \(s2)")
            #expect((growth > 0) == (s2 > threshold), "s2 = \(s2): growth \(growth)")
        }
    }

    /// Untreated runs from (1, 1, 1), observed on days 1000-1500: trough, peak and period (mean spacing
    /// of the peaks, each located on a 0.01 d grid refined by a parabola). c = 0.02 is also the paper's
    /// qualitative dormancy/recurrence regime [M]: troughs below one cell, peaks above 1e5.
    @Test func untreatedOscillations() throws {
        let cases: [(c: Double, min: Double, minTol: Double, max: Double, maxTol: Double, period: Double?)] = [
            (0.02, 1.3e-4, 0.05e-4, 3.8e5, 0.05e5, 242),
            (0.025, 18.8, 0.05, 1.66e5, 0.005e5, 151),
            (0.03, 1.8e3, 0.05e3, 7.3e4, 0.05e4, 108),
            (0.035, 9.9e3, 0.05e3, 2.9e4, 0.05e4, 94),
            (0.04, 1.36e4, 0.005e4, 1.77e4, 0.005e4, nil),
            (0.05, 1.2e4, 0.05e4, 1.2e4, 0.05e4, nil),
        ]
        for e in cases {
            let r = try Library.simulate(Self.name, times: Library.grid(1000, 1500, step: 0.01), inputs: ["c": e.c],
                                         options: Self.options)
            let t = try #require(r.series("T"))
            expectClose(t.min()!, e.min, atol: e.minTol, "c = \(e.c): minimum of T")
            expectClose(t.max()!, e.max, atol: e.maxTol, "c = \(e.c): maximum of T")
            if let period = e.period {
                let peaks = localMaxima(t).map { i in peak(times: Array(r.times[(i - 1)...(i + 1)]), values: Array(t[(i - 1)...(i + 1)])).time }
                let spacing = (peaks.last! - peaks.first!) / Double(peaks.count - 1)
                expectClose(spacing, period, atol: 0.5, "c = \(e.c): period (d)")
            }
            if e.c == 0.02 { #expect(t.min()! < 1 && t.max()! > 1e5, "dormancy and recurrence") }
        }
    }
}
