import Foundation

/// One case folder `NNNNN/` of the SBML Test Suite's semantic tests.
public struct SBMLTestCase: Hashable, Sendable {
    /// The case number as written (`00001`).
    public var id: String
    /// The case folder.
    public var directory: URL
    /// The SBML file of the highest level and version present (`NNNNN-sbml-l3v2.xml` before `-l3v1`,
    /// `-l2v5`, ...), or nil when there is none.
    public var modelFile: URL?

    public init(id: String, directory: URL, modelFile: URL?) {
        self.id = id
        self.directory = directory
        self.modelFile = modelFile
    }

    /// `NNNNN-settings.txt`.
    public var settingsFile: URL { directory.appendingPathComponent("\(id)-settings.txt") }
    /// `NNNNN-results.csv`.
    public var resultsFile: URL { directory.appendingPathComponent("\(id)-results.csv") }
    /// `NNNNN-model.m` (its header holds the test type and tags).
    public var descriptionFile: URL { directory.appendingPathComponent("\(id)-model.m") }

    /// The cases in `directory`: every sub-folder whose name is all digits, in numeric order.
    /// - Throws: Foundation's error when the folder cannot be listed.
    public static func discover(in directory: URL) throws -> [SBMLTestCase] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
            .sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
            .map { name in
                let folder = directory.appendingPathComponent(name)
                return SBMLTestCase(id: name, directory: folder, modelFile: bestModelFile(id: name, in: folder))
            }
    }

    /// The `NNNNN-sbml-lXvY.xml` with the highest (level, version).
    static func bestModelFile(id: String, in folder: URL) -> URL? {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let prefix = "\(id)-sbml-l"
        let candidates = files.compactMap { name -> (Int, Int, String)? in
            guard name.hasPrefix(prefix), name.hasSuffix(".xml") else { return nil }
            let lv = name.dropFirst(prefix.count).dropLast(4).split(separator: "v")
            guard lv.count == 2, let level = Int(lv[0]), let version = Int(lv[1]) else { return nil }
            return (level, version, name)
        }
        guard let best = candidates.max(by: { ($0.0, $0.1) < ($1.0, $1.1) }) else { return nil }
        return folder.appendingPathComponent(best.2)
    }
}

/// What happened to one case.
public enum SBMLTestOutcome: Hashable, Sendable {
    case pass
    /// The reason: the first mismatch (variable, time, expected, got) or the error that stopped the case.
    case fail(String)
    /// Why the case was not run (an SBML package, a test type other than TimeCourse).
    case skip(String)

    /// `pass`, `fail` or `skip`.
    public var label: String {
        switch self {
        case .pass: "pass"
        case .fail: "fail"
        case .skip: "skip"
        }
    }
}

/// The outcome of one case with the tags a report groups by.
public struct SBMLTestCaseResult: Hashable, Sendable {
    public var id: String
    public var outcome: SBMLTestOutcome
    public var componentTags: [String]
    public var testTags: [String]
    /// Wall-clock seconds the case took.
    public var seconds: Double

    public init(id: String, outcome: SBMLTestOutcome, componentTags: [String] = [], testTags: [String] = [], seconds: Double = 0) {
        self.id = id
        self.outcome = outcome
        self.componentTags = componentTags
        self.testTags = testTags
        self.seconds = seconds
    }

    /// The line the runner prints: `00001 pass`, `00002 fail <reason>`, `00003 skip <reason>`.
    public var line: String {
        switch outcome {
        case .pass: "\(id) pass"
        case .fail(let reason): "\(id) fail \(reason)"
        case .skip(let reason): "\(id) skip \(reason)"
        }
    }
}

/// The results of a run of the suite.
public struct SBMLTestSuiteSummary: Hashable, Sendable {
    public var results: [SBMLTestCaseResult]

    public init(results: [SBMLTestCaseResult]) { self.results = results }

    public var passed: Int { results.filter { $0.outcome == .pass }.count }
    public var failed: Int { results.filter { $0.outcome.label == "fail" }.count }
    public var skipped: Int { results.filter { $0.outcome.label == "skip" }.count }

    /// `N passed, N failed, N skipped`.
    public var closingLine: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}
