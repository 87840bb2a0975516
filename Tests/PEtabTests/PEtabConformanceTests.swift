import Foundation
import Inference
import ModelFormats
import Simulation
import Testing

/// The nominal NLL of every shared PEtab problem against `Fixtures/petab_reference.tsv`, which
/// `scripts/petab_reference.py` computed with the petab library from libroadrunner simulations at rtol 1e-12.
/// Skipped when neither /work/shared nor ../shared holds the problems.
@Suite("PEtab conformance (shared problems)")
struct PEtabConformanceTests {
    static let root: URL? = {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for candidate in [here.deletingLastPathComponent().appendingPathComponent("shared/data/petab"),
                          URL(fileURLWithPath: "/work/shared/data/petab")]
        where FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        return nil
    }()

    static let references: [(problem: String, nll: Double)] = {
        guard let url = Bundle.module.url(forResource: "petab_reference", withExtension: "tsv", subdirectory: "Fixtures"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let cells = line.split(separator: "\t")
            guard cells.count >= 2, let v = Double(cells[1]) else { return nil }
            return (String(cells[0]), v)
        }
    }()

    static let problems = references.map(\.problem)

    @Test("reference file lists the 12 shared problems")
    func referenceComplete() {
        #expect(Self.references.count == 12)
    }

    @Test("nominal NLL agrees with petab to 1e-6 relative", .enabled(if: root != nil), arguments: problems)
    func nominal(_ name: String) throws {
        let url = Self.root!.appendingPathComponent(name).appendingPathComponent("\(name).yaml")
        let problem = try PEtabReader.read(contentsOf: url)
        let objective = try PEtabObjective(problem, options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14,
                                                                          maxSteps: 1_000_000),
                                           computesGradient: false)
        let nll = objective.negativeLogLikelihood(at: objective.nominalPoint)
        let expected = Self.references.first { $0.problem == name }!.nll
        #expect(abs(nll - expected) <= 1e-6 * abs(expected), "\(name): \(nll) vs petab \(expected)")
    }
}
