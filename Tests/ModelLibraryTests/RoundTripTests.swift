import Foundation
import ModelFormats
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Each model exported with AntimonyWriter and read back simulates identically.
@Suite struct RoundTripTests {
    /// A horizon long enough to exercise each model's dynamics (its own time unit).
    static let horizon: [String: Double] = [
        "baccam2006": 10, "crauste2017": 28, "depillis2005": 100, "depillis2006": 100, "goyal2020": 30,
        "hanson2016": 100, "kirschner_panetta1998": 500, "perelson1996": 7, "reynolds2006": 200,
    ]

    @Test(arguments: ModelLibrary.names)
    func antimonyRoundTrip(name: String) throws {
        let original = try ModelLibrary.model(named: name)
        let text = AntimonyWriter.write(original)
        let reread = try AntimonyReader.read(string: text, file: "\(name) (written)")
        #expect(reread.species == original.species, "\(name): species")
        #expect(reread.rules == original.rules, "\(name): rules")
        #expect(reread.initialAssignments == original.initialAssignments, "\(name): initial assignments")
        #expect(Set(reread.parameters) == Set(original.parameters), "\(name): parameters")
        #expect(reread.timeUnit == original.timeUnit, "\(name): time unit")
        let times = Library.grid(0, try #require(Self.horizon[name]), step: try #require(Self.horizon[name]) / 200)
        let options = SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
        let a = try SimulationProblem(model: Library.compiled(name), outputTimes: times).solve(options)
        let b = try SimulationProblem(model: CompiledModel(reread), outputTimes: times).solve(options)
        #expect(a.status == .success && b.status == .success, "\(name): \(a.status), \(b.status)")
        #expect(a.names == b.names)
        #expect(a.values == b.values, "\(name): trajectories differ after the round trip")
    }
}

/// The models with no verified published number: they load, and their default scenarios simulate to
/// finite, non-negative states (documented limitations excepted).
@Suite struct SmokeTests {
    static let options = SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)

    @Test func depillis2005DefaultRun() throws {
        let r = try Library.simulate("depillis2005", times: [10, 50, 100], options: Self.options)
        for name in r.names { #expect(r.series(name)!.allSatisfy { $0.isFinite && $0 >= 0 }, "\(name)") }
        // Cross-implementation regression (our scipy Radau run at rtol 1e-10, not a published number):
        // from 100 cells the tumour escapes to ~9.77e8 by day 50. rtol 1e-6 >> both solvers' errors.
        expectClose(r["T", 0], 1.04021740e4, rtol: 1e-6, "T(10)")
        expectClose(r["N", 0], 1.11655311e5, rtol: 1e-6, "N(10)")
        expectClose(r["L", 0], 2.23203499e2, rtol: 1e-6, "L(10)")
        expectClose(r["T", 2], 9.77258264e8, rtol: 1e-6, "T(100)")
    }

    @Test func depillis2006UntreatedAndTreated() throws {
        let untreated = try Library.simulate("depillis2006", times: [10, 50, 100], options: Self.options)
        #expect(untreated["T", 2] > 5e8, "untreated tumour escapes")
        // immune populations start at the tumour-free equilibrium: C stays at alpha/beta without chemo
        expectClose(untreated["C", 2], 7.5e8 / 0.012, rtol: 1e-8, "C without chemotherapy")
        // Continuous chemotherapy (vM = 1): cross-implementation regression against our scipy run in
        // log variables (LSODA rtol 1e-10), not a published number.
        let chemo = try Library.simulate("depillis2006", times: [10, 20, 30], inputs: ["vM": 1],
                                         options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14))
        expectClose(chemo["T", 0], 1.09936608e7, rtol: 1e-6, "T(10) under chemotherapy")
        expectClose(chemo["T", 1], 1.72719139e6, rtol: 1e-6, "T(20) under chemotherapy")
        expectClose(chemo["L", 1], 6.86370315e4, rtol: 1e-6, "L(20) under chemotherapy")
        expectClose(chemo["T", 2], 1.24218892e2, rtol: 1e-5, "T(30) under chemotherapy")
    }

    @Test func hanson2016DefaultRun() throws {
        let r = try Library.simulate("hanson2016", times: Library.grid(0, 100, step: 1), options: Self.options)
        for name in r.names { #expect(r.series(name)!.allSatisfy { $0.isFinite && $0 >= 0 }, "\(name)") }
        // Cross-implementation regression (our scipy LSODA run at rtol 1e-11, not a published number).
        // The space term max(0, ...) has a kink, so allow rtol 1e-6.
        let late = try Library.simulate("hanson2016", times: [100, 500], options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        expectClose(late["Ce", 0], 21.423896411, rtol: 1e-6, "Ce(100)")
        expectClose(late["He", 0], 49.8009858166, rtol: 1e-6, "He(100)")
        expectClose(late["I", 0], 161.7335602959, rtol: 1e-6, "I(100)")
        expectClose(late["B", 1], 48.6920943873, rtol: 1e-6, "B(500)")
        expectClose(late["L", 1], 1638.0650327856, rtol: 1e-6, "L(500)")
    }

    /// The catalog's caveat, kept visible: D is a zero-order sink, so inflammation goes negative once
    /// D exceeds what baseline production can supply.
    @Test func hanson2016DrugCanDriveInflammationNegative() throws {
        let r = try Library.simulate("hanson2016", times: [10], inputs: ["D": 300], options: Self.options)
        #expect(r["I", 0] < 0)
    }
}
