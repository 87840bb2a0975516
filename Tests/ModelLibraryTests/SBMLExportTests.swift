import Foundation
import ModelFormats
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Every built-in model exported to SBML (L3v2) and read back simulates identically to the original.
@Suite struct SBMLExportTests {
    @Test(arguments: ModelLibrary.names)
    func exportedSBMLSimulatesIdentically(name: String) throws {
        let original = try ModelLibrary.model(named: name)
        let reread = try SBMLReader.read(string: SBMLWriter.write(original), file: "\(name).xml")
        let outputs = original.species.map { OutputRequest.value($0.id) }
        let times = SimulationProblem.grid(from: 0, to: 10, points: 11)
        let options = SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        let a = try SimulationProblem(model: CompiledModel(original, outputs: outputs), outputTimes: times).solve(options)
        let b = try SimulationProblem(model: CompiledModel(reread, outputs: outputs), outputTimes: times).solve(options)
        #expect(a.status == b.status)
        // Same equations and the same solver path: differences can only come from rounding in the
        // printed numbers (17 significant digits round-trip exactly), so the results must agree to ~1e-12.
        for (x, y) in zip(a.values, b.values) where x.isFinite || y.isFinite {
            #expect(abs(x - y) <= 1e-9 * max(1, abs(x)), "\(name): \(x) vs \(y)")
        }
    }
}
