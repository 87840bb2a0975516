import Foundation
import ModelFormats
import ModelLibrary
import Simulation
import Testing

/// Every built-in model read from its Antimony text by our reader simulates identically to the SBML that
/// libantimony (the `antimony` Python package) makes from the same text. The SBML fixtures are committed and
/// regenerated with `scripts/library_antimony_fixtures.py`.
@Suite struct LibantimonyEquivalenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/libantimony")
    static let horizons: [String: Double] = [
        "baccam2006": 8, "crauste2017": 28, "depillis2005": 100, "depillis2006": 100, "goyal2020": 30, "hanson2016": 100,
        "kirschner_panetta1998": 300, "perelson1996": 7, "reynolds2006": 200,
    ]

    @Test func everyModelHasAFixture() {
        for name in ModelLibrary.names {
            #expect(FileManager.default.fileExists(atPath: Self.fixtures.appendingPathComponent("\(name).xml").path), "\(name)")
            #expect(Self.horizons[name] != nil, "\(name) has no horizon here")
        }
    }

    @Test(arguments: ModelLibrary.names)
    func simulatesLikeLibantimonySBML(name: String) throws {
        let ours = try ModelLibrary.model(named: name)
        let theirs = try SBMLReader.read(contentsOf: Self.fixtures.appendingPathComponent("\(name).xml"))
        let outputs = ours.species.map { OutputRequest.value($0.id) }
        let options = SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        let times = SimulationProblem.grid(from: 0, to: Self.horizons[name] ?? 10, points: 51)
        let a = try SimulationProblem(model: try CompiledModel(ours, outputs: outputs), outputTimes: times).solve(options)
        let b = try SimulationProblem(model: try CompiledModel(theirs, outputs: outputs), outputTimes: times).solve(options)
        #expect(a.status == .success && b.status == .success)
        for (column, request) in outputs.enumerated() {
            let scale = times.indices.map { abs(a[$0, column]) }.max() ?? 0
            for row in times.indices {
                let (x, y) = (a[row, column], b[row, column])
                // two runs of one ODE system at rtol 1e-10 agree to ~1e-8 of the value (or of the output's range)
                #expect(abs(x - y) <= 1e-7 * max(abs(x), abs(y)) + 1e-9 * scale, "\(name).\(request.id) at t=\(times[row]): \(x) vs \(y)")
            }
        }
    }
}
