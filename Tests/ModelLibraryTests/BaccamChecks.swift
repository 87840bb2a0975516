import Foundation
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Catalog §2 checks for baccam2006. The abstract's quantities are given as "~6 h", "~22": the tolerance
/// is half a unit of the last digit stated (0.5 h, 0.5), i.e. the value must round to the abstract's.
@Suite struct BaccamChecks {
    static let name = "baccam2006"
    static func parameters() throws -> [String: Double] { ModelEvaluator(try ModelLibrary.model(named: name)).parameters }

    @Test func abstractTimescales() throws {
        let p = try Self.parameters()
        let hours = 24.0
        expectClose(hours / p["k"]!, 6, atol: 0.5, "delay before virus production 1/k (h), abstract ~6 h")
        expectClose(hours / p["delta"]!, 5, atol: 0.5, "duration of production 1/delta (h), abstract ~5 h")
        expectClose(hours / p["k"]! + hours / p["delta"]!, 11, atol: 0.5, "infected-cell lifetime (h), abstract ~11 h")
        expectClose(hours * log(2) / p["c"]!, 3, atol: 0.5, "free-virus half-life (h), abstract ~3 h")
        // and the catalog's one-decimal values
        expectClose(hours / p["delta"]!, 4.6, atol: 0.05, "1/delta (h)")
        expectClose(hours / p["k"]! + hours / p["delta"]!, 10.6, atol: 0.05, "1/k + 1/delta (h)")
        expectClose(hours * log(2) / p["c"]!, 3.2, atol: 0.05, "ln2/c (h)")
    }

    /// R0 = beta*p*T0/(c*delta); also checked as the model's own threshold: at the infection-free state
    /// the linearised (I1, I2, V) system grows iff R0 > 1, and at R0 = 1 it has a zero eigenvalue.
    @Test func reproductiveNumber() throws {
        let p = try Self.parameters()
        let r0 = p["beta"]! * p["p"]! * p["T0"]! / (p["c"]! * p["delta"]!)
        expectClose(r0, 22, atol: 0.5, "R0, abstract ~22")
        expectClose(r0, 21.8, atol: 0.05, "R0 (catalog 21.8)")
        var evaluator = ModelEvaluator(try ModelLibrary.model(named: Self.name))
        evaluator.parameters["beta"] = p["beta"]! / r0   // scale to R0 = 1
        let j = evaluator.jacobian(["T": p["T0"]!, "I1": 0, "I2": 0, "V": 0], variables: ["I1", "I2", "V"])
        let det = j[0][0] * (j[1][1] * j[2][2] - j[1][2] * j[2][1]) - j[0][1] * (j[1][0] * j[2][2] - j[1][2] * j[2][0])
            + j[0][2] * (j[1][0] * j[2][1] - j[1][1] * j[2][0])
        expectClose(det, 0, atol: 1e-6, "det J of the infection subsystem at R0 = 1")
    }

    /// Early exponential growth r solves (r + k)(r + delta)(r + c) = beta*T0*k*p (r = 8.52/d, doubling
    /// 1.95 h). Simulated from a tiny inoculum (V0 = 1e-4, so T stays within 1e-7 of T0 up to day 1.1)
    /// the slope of ln V between days 1.0 and 1.1 matches r once the transients (rates >= 4/d) have
    /// decayed by e^-8: tolerance 1e-4 relative. rtol 1e-10 makes the solver error negligible.
    @Test func earlyGrowthRate() throws {
        let p = try Self.parameters()
        let r = bisect(0, 100) { r in (r + p["k"]!) * (r + p["delta"]!) * (r + p["c"]!) - p["beta"]! * p["T0"]! * p["k"]! * p["p"]! }
        expectClose(r, 8.52, atol: 0.005, "growth rate r (1/d)")
        expectClose(24 * log(2) / r, 1.95, atol: 0.005, "doubling time (h)")
        let result = try Library.simulate(Self.name, times: [1.0, 1.1], inputs: ["V0": 1e-4],
                                          options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-20))
        let slope = log(result["V", 1] / result["V", 0]) / 0.1
        expectClose(slope, r, rtol: 1e-4, "simulated d ln V/dt in the exponential phase")
    }

    /// The target-cell-limited model produces a single titre peak (biphasic titres need the paper's IFN
    /// extension).
    @Test func singlePeak() throws {
        for v0 in [1e-2, 0.1, 10] {
            let r = try Library.simulate(Self.name, times: Library.grid(0, 15, step: 0.005), inputs: ["V0": v0],
                                         options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14))
            #expect(localMaxima(try #require(r.series("V"))).count == 1, "V0 = \(v0)")
        }
    }

    /// The antiviral input: eps = 0 reproduces the untreated run (to the solver's accuracy: the switch at t_treat
    /// is a stop of the integrator, so the steps differ); full efficacy from the start means no virus is
    /// produced (V decays as V0*exp(-c t)).
    @Test func antiviralInput() throws {
        let options = SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14)
        let untreated = try Library.simulate(Self.name, times: [1, 3, 5], options: options)
        let zero = try Library.simulate(Self.name, times: [1, 3, 5], inputs: ["eps_antiviral": 0, "t_treat": 1], options: options)
        for (a, b) in zip(zero.values, untreated.values) {
            #expect(abs(a - b) <= 10 * (options.absoluteTolerance + options.relativeTolerance * abs(b)), "\(a) vs \(b)")
        }
        let full = try Library.simulate(Self.name, times: [2], inputs: ["eps_antiviral": 1], options: options)
        expectClose(full["V", 0], 0.1 * exp(-5.2 * 2), rtol: 1e-8, "V(2) under full efficacy")
        let late = try Library.simulate(Self.name, times: [5], inputs: ["eps_antiviral": 0.9, "t_treat": 2], options: options)
        #expect(late["V", 0] < untreated["V", 2])
    }
}
