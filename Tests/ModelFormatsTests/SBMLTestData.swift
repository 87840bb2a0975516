import Foundation

/// Locates shared test data relative to this package (`<package root>/../shared/data/...`), falling back
/// to `/work/shared`. Tests that need it skip when it is absent.
enum SBMLTestData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The SBML semantic test suite folder, or nil when it is not available.
    static var semanticSuite: URL? {
        let candidates = [
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/sbml-test-suite/semantic"),
            URL(fileURLWithPath: "/work/shared/data/sbml-test-suite/semantic"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The SBML file of every case, highest level and version first within a case.
    static func suiteModels() -> [URL] {
        guard let suite = semanticSuite,
              let cases = try? FileManager.default.contentsOfDirectory(atPath: suite.path) else { return [] }
        return cases.sorted().compactMap { name -> URL? in
            let dir = suite.appendingPathComponent(name)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            guard let best = files.filter({ $0.hasPrefix("\(name)-sbml-l") && $0.hasSuffix(".xml") }).sorted().last else { return nil }
            return dir.appendingPathComponent(best)
        }
    }
}

import ModelIR

/// Model equality that treats NaN as equal to NaN (`==` on `Double` does not), by comparing canonical
/// JSON encodings.
func sameModel(_ a: Model, _ b: Model) -> Bool {
    if a == b { return true }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
    guard let x = try? encoder.encode(a), let y = try? encoder.encode(b) else { return false }
    return x == y
}
