import Foundation
import Testing
@testable import Conformance

/// The SBML semantic suite next to the package (`<package root>/../shared/...`) or in /work/shared.
let semanticSuite: URL? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return [root.deletingLastPathComponent().appendingPathComponent("shared/data/sbml-test-suite/semantic"),
            URL(fileURLWithPath: "/work/shared/data/sbml-test-suite/semantic")]
        .first { FileManager.default.fileExists(atPath: $0.path) }
}()

/// Writes a synthetic suite folder with one case per entry.
func makeSuite(_ cases: [String: (model: String?, settings: String, results: String, description: String)]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("sbml-suite-\(UUID().uuidString)")
    for (id, c) in cases {
        let dir = root.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if let model = c.model { try model.write(to: dir.appendingPathComponent("\(id)-sbml-l3v2.xml"), atomically: true, encoding: .utf8) }
        try c.settings.write(to: dir.appendingPathComponent("\(id)-settings.txt"), atomically: true, encoding: .utf8)
        try c.results.write(to: dir.appendingPathComponent("\(id)-results.csv"), atomically: true, encoding: .utf8)
        try c.description.write(to: dir.appendingPathComponent("\(id)-model.m"), atomically: true, encoding: .utf8)
    }
    return root
}

/// dS/dt = -k S with S(0) = 1 (amount), k = 1, in a compartment of size 2.
func decayModel(packages: String = "") -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"\(packages)>
      <model id="decay">
        <listOfCompartments><compartment id="c" spatialDimensions="3" size="2" constant="true"/></listOfCompartments>
        <listOfSpecies><species id="S" compartment="c" initialAmount="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/></listOfSpecies>
        <listOfParameters><parameter id="k" value="1" constant="true"/></listOfParameters>
        <listOfReactions><reaction id="R" reversible="false">
          <listOfReactants><speciesReference species="S" stoichiometry="1" constant="true"/></listOfReactants>
          <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><ci>c</ci><ci>k</ci><ci>S</ci></apply></math></kineticLaw>
        </reaction></listOfReactions>
      </model>
    </sbml>
    """
}

func decayResults(scale: Double = 1, concentration: Bool = false) -> String {
    var out = "time,S\n"
    for i in 0...4 {
        let t = Double(i) * 0.5
        out += "\(t),\(scale * exp(-t) / (concentration ? 2 : 1))\n"
    }
    return out
}

let decaySettings = "start: 0\nduration: 2\nsteps: 4\nvariables: S\nabsolute: 1e-7\nrelative: 1e-5\namount: S\nconcentration:\n"
let timeCourse = "(*\ncomponentTags: Compartment, Species, Reaction\ntestTags: Amount\ntestType: TimeCourse\n*)\n"

@Suite struct SBMLTestSuiteRunnerTests {
    @Test func runsPassesFailsAndSkips() throws {
        let suite = try makeSuite([
            "00001": (decayModel(), decaySettings, decayResults(), timeCourse),
            "00002": (decayModel(), decaySettings, decayResults(scale: 1.01), timeCourse),
            "00003": (decayModel(packages: " xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" comp:required=\"true\""),
                      decaySettings, decayResults(), timeCourse),
            "00004": (decayModel(), decaySettings, decayResults(), "(*\ntestType: FluxBalanceSteadyState\n*)"),
            "00005": (nil, decaySettings, decayResults(), timeCourse),
            "00006": (decayModel().replacingOccurrences(of: "<ci>k</ci>", with: "<ci>kk</ci>"), decaySettings, decayResults(), timeCourse),
            "00007": (decayModel(), decaySettings.replacingOccurrences(of: "amount: S", with: "concentration: S"),
                      decayResults(concentration: true), timeCourse),
        ])
        defer { try? FileManager.default.removeItem(at: suite) }
        let lines = LineSink()
        let summary = try SBMLTestSuite.run(directory: suite, options: SBMLTestSuiteOptions(workers: 2)) { lines.append($0.line) }
        #expect(lines.all.count == 7)
        #expect(lines.all[0] == "00001 pass")
        #expect(lines.all[1].hasPrefix("00002 fail S at t=0.0: expected 1.01, got 1.0 (tolerance"), "\(lines.all[1])")
        #expect(lines.all[2] == "00003 skip uses SBML package(s) comp")
        #expect(lines.all[3] == "00004 skip testType FluxBalanceSteadyState (only TimeCourse is run)")
        #expect(lines.all[4] == "00005 fail no NNNNN-sbml-lXvY.xml file")
        #expect(lines.all[5].hasPrefix("00006 fail read: undefined symbol 'kk'"), "\(lines.all[5])")
        #expect(lines.all[6] == "00007 pass")
        #expect(summary.closingLine == "2 passed, 3 failed, 2 skipped")
        #expect(summary.results[0].componentTags == ["Compartment", "Species", "Reaction"])
    }

    @Test func commandPrintsLinesAndWritesTheReport() throws {
        let suite = try makeSuite(["00001": (decayModel(), decaySettings, decayResults(), timeCourse),
                                   "00002": (decayModel(), decaySettings, decayResults(), timeCourse)])
        defer { try? FileManager.default.removeItem(at: suite) }
        let report = suite.appendingPathComponent("report.md")
        let lines = LineSink()
        let status = SBMLTestSuite.runCommand(directory: suite.path, report: report.path, cases: "2") { lines.append($0) }
        #expect(status == 0)
        #expect(lines.all == ["00002 pass", "1 passed, 0 failed, 0 skipped"])
        #expect(try String(contentsOf: report, encoding: .utf8).contains("| Species | component | 1 | 1 | 0 | 0 | 100.0% |"))
        #expect(SBMLTestSuite.runCommand(directory: suite.appendingPathComponent("missing").path) { _ in } == 65)
        #expect(SBMLTestSuite.runCommand(directory: suite.path, cases: "a-b") { _ in } == 64)
    }

    @Test func timeLimitIsEnforced() {
        let start = Date()
        let value: Int? = SBMLTestSuite.withTimeLimit(0.2) {
            Thread.sleep(forTimeInterval: 2)
            return 1
        }
        #expect(value == nil)
        #expect(Date().timeIntervalSince(start) < 1.5)
        #expect(SBMLTestSuite.withTimeLimit(5) { 42 } == 42)
    }

    /// The first cases of the real suite run and report one line each (their outcomes are the
    /// simulator's business; the full run is `twin sbml-suite`).
    @Test(.enabled(if: semanticSuite != nil, "the SBML test suite is not available"))
    func realSuiteSmokeTest() throws {
        let suite = try #require(semanticSuite)
        let filter = try SBMLTestSuite.caseFilter(parsing: "1-10")
        let summary = try SBMLTestSuite.run(directory: suite, caseFilter: filter)
        #expect(summary.results.count == (try SBMLTestCase.discover(in: suite)).filter { filter($0.id) }.count)
        #expect(summary.results.count >= 5)
        #expect(summary.results.first?.outcome == .pass, "\(summary.results.first?.line ?? "")")
    }

    /// The whole suite, when `SBML_SUITE_REPORT=/path/report.md` is set (takes minutes; run in release).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SBML_SUITE_REPORT"] != nil && semanticSuite != nil))
    func fullSuite() throws {
        let suite = try #require(semanticSuite)
        let env = ProcessInfo.processInfo.environment
        let report = try #require(env["SBML_SUITE_REPORT"])
        let status = SBMLTestSuite.runCommand(directory: suite.path, report: report, cases: env["SBML_SUITE_CASES"],
                                              options: SBMLTestSuiteOptions(workers: Int(env["SBML_SUITE_WORKERS"] ?? "") ?? 2)) {
            print($0)
        }
        #expect(status == 0)
    }
}

/// Collects lines from a `@Sendable` callback.
final class LineSink: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
