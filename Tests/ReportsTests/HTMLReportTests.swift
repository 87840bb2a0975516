#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif
import Testing
@testable import Reports

@Suite struct HTMLReportTests {
    static func sample() -> HTMLReport {
        var report = HTMLReport(title: "Trial <A> & B",
                                provenance: .init(programVersion: "0.1.0", modelHash: "sha256:abc", seed: 42,
                                                  date: "2026-11-23", extra: [("spec", "trial.yaml")]))
        let plot = SVGPlot(title: "KM & co", series: [.line("arm <1>", x: [0, 1], y: [1, 0.5], color: .palette(0))])
        report.add("Survival", .paragraph("Log-rank p < 0.05 & \"significant\""), .svg(plot.render(), caption: "Figure 1 <KM>"))
        report.add("Failed patients", .table(header: ["id", "status"], rows: [["17", "<unstable>"], ["23"]]),
                   .preformatted("arms:\n  - name: \"a&b\""))
        return report
    }

    @Test func isWellFormedAndSelfContained() throws {
        let html = Self.sample().render()
        // The document is also well-formed XML (XHTML-compatible), which lets the parser check escaping.
        let root = try parseXML(html)
        #expect(root.name == "html")
        #expect(elements("h1", in: root).first?.stringValue == "Trial <A> & B")
        #expect(elements("svg", in: root).count == 1)
        #expect(elements("figcaption", in: root).first?.stringValue == "Figure 1 <KM>")
        #expect(elements("p", in: root).first?.stringValue == "Log-rank p < 0.05 & \"significant\"")
        #expect(elements("pre", in: root).first?.stringValue == "arms:\n  - name: \"a&b\"")
        // No scripts, no external resources.
        for forbidden in ["<script", "src=", "href=", "<link", "@import", "url(http"] {
            #expect(!html.contains(forbidden), "report contains \(forbidden)")
        }
        #expect(elements("style", in: root).count == 1)
    }

    @Test func tablesAreEscapedAndPadded() throws {
        let root = try parseXML(Self.sample().render())
        let dataTable = try #require(elements("table", in: root).first { attribute("class", of: $0) == "data" })
        let cells = elements("td", in: dataTable).map { $0.stringValue ?? "?" }
        #expect(cells == ["17", "<unstable>", "23", ""])
        let provenance = elements("td", in: root).prefix(5).map { $0.stringValue ?? "?" }
        #expect(provenance == ["0.1.0", "sha256:abc", "42", "2026-11-23", "trial.yaml"])
    }

    @Test func renderingIsDeterministic() {
        #expect(Self.sample().render() == Self.sample().render())
    }
}
