#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif
import Testing
@testable import Reports
import Statistics

/// Parses `text` as XML (throws when it is not well-formed) and returns the root element.
func parseXML(_ text: String) throws -> XMLElement {
    let document = try XMLDocument(xmlString: text, options: [])
    return try #require(document.rootElement())
}

/// The value of attribute `name` (FoundationXML's `attribute(forName:)` misses attributes of namespaced elements).
func attribute(_ name: String, of element: XMLElement?) -> String? {
    element?.attributes?.first { $0.name == name }?.stringValue
}

/// Every element named `name` below `element`.
func elements(_ name: String, in element: XMLElement) -> [XMLElement] {
    var found: [XMLElement] = []
    for child in element.children ?? [] {
        guard let child = child as? XMLElement else { continue }
        if child.name == name { found.append(child) }
        found += elements(name, in: child)
    }
    return found
}

@Suite struct SVGPlotTests {
    static let nasty = "Viral load <script>alert(\"x\")</script> & 'friends'"

    /// A plot with every series kind, invalid points, a log axis and hostile text.
    static func kitchenSink() -> SVGPlot {
        let t = [0.0, 1, 2, 3, 4, 5]
        return SVGPlot(title: nasty, xAxis: Axis(label: "time (d) <&>"), yAxis: Axis(label: "copies/mL", scale: .log10),
                       series: [
                        .band("5–95 % <band>", x: t, lower: [1, 10, .nan, 100, 50, 20], upper: [10, 1e3, 1e4, 1e5, 1e4, 1e3], color: .palette(0)),
                        .line("median", x: t, y: [3, 100, -5, 1e4, .infinity, 100], color: .palette(0)),
                        .step("KM", x: t, y: [1e4, 1e4, 1e3, 1e3, 10, 10], censorX: [2.5], censorY: [1e3], color: .palette(1)),
                        .points("data", x: t, y: [2, 90, 1e3, .nan, 900, 80], errorLower: [1, 50, 500, 1, 400, 40],
                                errorUpper: [4, 150, 2e3, 1, 2e3, 160], color: .palette(2)),
                        .bars("hist", edges: [0, 1, 2, 3], heights: [5, 50, .nan], color: .palette(3)),
                        .horizontalLine("LOD", y: 50), .verticalLine("dose", x: 1.5),
                        .line("", x: [], y: [], color: .gray),
                       ])
    }

    @Test func outputIsWellFormedXMLWithEscapedText() throws {
        let svg = Self.kitchenSink().render()
        let root = try parseXML(svg)
        #expect(root.name == "svg")
        #expect(attribute("xmlns", of: root) == "http://www.w3.org/2000/svg" || root.uri == "http://www.w3.org/2000/svg")
        // The parser gives back exactly the text we put in, so escaping was complete and correct.
        #expect(elements("title", in: root).first?.stringValue == Self.nasty)
        let texts = elements("text", in: root).compactMap(\.stringValue)
        #expect(texts.contains(Self.nasty) && texts.contains("time (d) <&>") && texts.contains("5–95 % <band>"))
        #expect(!svg.contains("<script"))
    }

    @Test func invalidPointsAreSkipped() throws {
        let svg = Self.kitchenSink().render()
        for bad in ["nan", "NaN", "inf"] { #expect(!svg.contains(bad), "output contains \(bad)") }
        let root = try parseXML(svg)
        // 6 points, one with y = NaN: five circles in the plot, plus one legend swatch.
        #expect(elements("circle", in: root).count == 6)
        // The band breaks at its NaN: two polygons.
        #expect(elements("polygon", in: root).count == 2)
        // The median line breaks at −5 (log axis) and at +∞: three subpaths.
        let medianPath = elements("path", in: root).first { (attribute("d", of: $0) ?? "").hasPrefix("M70.00") && attribute("stroke-width", of: $0) == "2" }
        #expect(attribute("d", of: medianPath)?.filter { $0 == "M" }.count == 3)
    }

    @Test func coordinatesMapDataToTheFrame() throws {
        // Default 640×400 with margins 70/16/36/52: the plot area spans x 70…624, y 348…36.
        let plot = SVGPlot(title: "t", xAxis: Axis(range: 0...10), yAxis: Axis(range: 0...10),
                           series: [.line("", x: [0, 5, 10], y: [0, 5, 10], color: .palette(0))])
        #expect(plot.render().contains("d=\"M70.00 348.00L347.00 192.00L624.00 36.00\""))
        let log = SVGPlot(title: "t", xAxis: Axis(range: 0...10), yAxis: Axis(scale: .log10, range: 1...100),
                          series: [.line("", x: [0, 10], y: [10, 100], color: .palette(0))])
        #expect(log.render().contains("d=\"M70.00 192.00L624.00 36.00\""))
    }

    @Test func renderingIsDeterministic() {
        #expect(Self.kitchenSink().render() == Self.kitchenSink().render())
        let a = ForestPlot(title: "HR", rows: [.init(label: "a", estimate: 0.5, lower: 0.3, upper: 0.9)]).render()
        #expect(a == ForestPlot(title: "HR", rows: [.init(label: "a", estimate: 0.5, lower: 0.3, upper: 0.9)]).render())
    }

    @Test func emptyPlotStillRenders() throws {
        let root = try parseXML(SVGPlot(title: "nothing").render())
        #expect(root.name == "svg")
    }

    @Test func kaplanMeierSeriesStartAtOneWithCensoringMarks() throws {
        let km = try KaplanMeier(times: [1, 2, 2, 3, 4, 5], events: [true, false, true, true, false, true])
        let series = Series.kaplanMeier(km, name: "arm A", color: .palette(0))
        #expect(series.count == 2)
        let svg = SVGPlot(title: "KM", yAxis: Axis(range: 0...1), series: series).render()
        let root = try parseXML(svg)
        let marks = elements("path", in: root).first { attribute("stroke-width", of: $0) == "1.5" }
        // Censoring at t = 2 and t = 4: two "M…V…" ticks.
        #expect(attribute("d", of: marks)?.filter { $0 == "M" }.count == 2)
    }

    @Test func forestPlotHasOneRowPerEffect() throws {
        let plot = ForestPlot(title: "Effects <1>", axis: Axis(label: "hazard ratio", scale: .log10), reference: 1, rows: [
            .init(label: "early & fast", estimate: 0.62, lower: 0.45, upper: 0.85),
            .init(label: "late", estimate: 0.95, lower: 0.7, upper: 1.3),
            .init(label: "not estimable", estimate: .nan, lower: .nan, upper: .nan),
        ])
        let root = try parseXML(plot.render())
        let texts = elements("text", in: root).compactMap(\.stringValue)
        #expect(texts.contains("early & fast") && texts.contains("0.62 [0.45, 0.85]") && texts.contains("NaN [NaN, NaN]"))
        #expect(elements("rect", in: root).count == 1 + 1 + 2)   // background, frame, two estimates
    }

    @Test func waterfallSortsDescendingAndColoursByGroup() throws {
        let plot = SVGPlot.waterfall(title: "Best change", values: [-40, 10, .nan, -80, 25],
                                     groups: ["PR", "SD", "SD", "PR", "PD"], valueLabel: "% change", thresholds: [20, -30])
        #expect(plot.series.count == 3 + 2)
        let root = try parseXML(plot.render())
        let bars = elements("rect", in: root).filter { attribute("fill-opacity", of: $0) == "0.55" }
        #expect(bars.count == 4)
        let xs = bars.compactMap { Double(attribute("x", of: $0) ?? "") }.sorted()
        #expect(xs.count == 4 && Set(xs).count == 4)
    }

    @Test func powerCurvePlot() throws {
        let curve = try PowerCurve.estimate(sizes: [10, 20, 40], replicates: 20, seed: 5) { n, rng in
            rng.nextUniform() < Double(n) / 50
        }
        let root = try parseXML(SVGPlot.powerCurve(curve).render())
        #expect(elements("polygon", in: root).count == 1)
        #expect(elements("circle", in: root).count == 3 + 1)
    }

    @Test func histogramCountsAndDensity() {
        let h = Series.histogram("x", values: [0, 0.1, 0.2, 0.9, 1.0, .nan], bins: 2, color: .palette(0))
        #expect(h.x == [0, 0.5, 1] && h.y == [3, 2])
        let d = Series.histogram("x", values: [0, 0.1, 0.2, 0.9, 1.0], bins: 2, density: true, color: .palette(0))
        #expect(d.y == [1.2, 0.8])
    }
}

