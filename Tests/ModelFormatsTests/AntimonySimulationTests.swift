import Foundation
import ModelIR
import Simulation
import Testing
@testable import ModelFormats

/// Simulates the models `AntimonyReader` reads and compares them with libroadrunner's trajectories of
/// libantimony's SBML (`NAME.roadrunner.csv`, written by `Fixtures/Antimony/generate_expected.py`), and
/// with the simulation of that SBML as `SBMLReader` reads it. Agreement means the reader gives species
/// values, compartments, rules and events the meaning libantimony gives them.
@Suite struct AntimonySimulationTests {
    static let directory = AntimonyConformanceTests.directory

    struct Reference {
        var names: [String]
        var times: [Double]
        var rows: [[Double]]

        init(csv url: URL) throws {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            names = lines.first.map { $0.split(separator: ",").dropFirst().map(String.init) } ?? []
            rows = lines.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
            times = rows.map { $0.first ?? .nan }
        }

        func column(_ name: String) -> [Double]? {
            names.firstIndex(of: name).map { i in rows.map { $0[i + 1] } }
        }
    }

    static func simulate(_ model: Model, times: [Double]) throws -> SimulationResult {
        let problem = SimulationProblem(model: try CompiledModel(model), outputTimes: times)
        return try problem.solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
    }

    /// Every column of `actual` within `rtol` of `expected`, with an absolute floor scaled to the column.
    static func expectClose(_ actual: SimulationResult, _ expected: Reference, rtol: Double, context: String) {
        #expect(actual.status.isSuccess, "\(context): \(actual.status)")
        for name in expected.names {
            guard let a = actual.series(name), let b = expected.column(name) else {
                Issue.record("\(context): no column \(name)")
                continue
            }
            let scale = b.map(abs).max() ?? 1
            for (i, (x, y)) in zip(a, b).enumerated() {
                let tolerance = rtol * abs(y) + 1e-6 * max(scale, 1e-12)
                #expect(abs(x - y) <= tolerance,
                        "\(context): \(name) at t = \(expected.times[i]): \(x) vs \(y), error \(abs(x - y)) > \(tolerance)")
            }
        }
    }

    @Test(arguments: ["reynolds", "kitchen_sink", "rules"])
    func agreesWithRoadRunner(name: String) throws {
        let reference = try Reference(csv: Self.directory.appendingPathComponent("\(name).roadrunner.csv"))
        let model = try AntimonyReader.read(contentsOf: Self.directory.appendingPathComponent("\(name).ant"))
        #expect(Set(reference.names) == Set(model.species.map(\.id)))
        let result = try Self.simulate(model, times: reference.times)
        // For `rules`, `Fixed` is a boundary species in compartment `c`, which grows by a rate rule: SBML keeps
        // its amount constant, so its concentration falls (test suite case 01118; libroadrunner agrees).
        Self.expectClose(result, reference, rtol: 1e-6, context: "\(name) (Antimony vs libroadrunner)")
    }

    @Test(arguments: ["reynolds", "kitchen_sink", "rules"])
    func agreesWithTheSBMLTranslation(name: String) throws {
        let antimony = try AntimonyReader.read(contentsOf: Self.directory.appendingPathComponent("\(name).ant"))
        let sbml = try SBMLReader.read(contentsOf: Self.directory.appendingPathComponent("\(name).xml"))
        let times = SimulationProblem.grid(from: 0, to: 10, points: 11)
        let fromSBML = try Self.simulate(sbml, times: times)
        let fromAntimony = try Self.simulate(antimony, times: times)
        let reference = Reference(names: fromSBML.names, times: times, rows: times.indices.map { row in
            [times[row]] + fromSBML.names.indices.map { fromSBML[row, $0] }
        })
        Self.expectClose(fromAntimony, reference, rtol: 1e-8, context: "\(name) (Antimony vs SBML)")
    }
}

extension AntimonySimulationTests.Reference {
    init(names: [String], times: [Double], rows: [[Double]]) {
        self.names = names
        self.times = times
        self.rows = rows
    }
}
