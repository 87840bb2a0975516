import Foundation
import ModelLibrary
import Testing

/// Every model has a documentation page naming its parameters, treatment inputs and checks.
@Suite struct DocumentationTests {
    static let docs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/models")

    @Test(arguments: ModelLibrary.names)
    func pageCoversTheMetadata(name: String) throws {
        let page = try String(contentsOf: Self.docs.appendingPathComponent("\(name).md"), encoding: .utf8)
        let entry = try ModelLibrary.entry(named: name)
        for p in entry.parameters { #expect(page.contains("`\(p.id)`"), "\(name).md lacks parameter \(p.id)") }
        for s in entry.species { #expect(page.contains("`\(s.id)`"), "\(name).md lacks species \(s.id)") }
        for c in entry.checks { #expect(page.contains("**\(c.id)**"), "\(name).md lacks check \(c.id)") }
        for c in entry.checks where !c.isTested {
            #expect(page.contains("### Not tested") && page.contains("- [\(c.confidence.rawValue)] **\(c.id)**"),
                    "\(name).md must list untested check \(c.id)")
        }
        #expect(page.contains("## Equations") && page.contains("## Population variability defaults"))
        let index = try String(contentsOf: Self.docs.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(index.contains("[\(name)](\(name).md)"))
    }
}
