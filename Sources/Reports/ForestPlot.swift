/// A horizontal forest plot: one row per effect (label, point estimate, interval) over a shared x axis, with a
/// dashed reference line at the no-effect value (0 for differences, 1 for ratios on a log axis).
///
/// ```swift
/// let plot = ForestPlot(title: "Hazard ratios", axis: Axis(label: "HR (95 % CI)", scale: .log10), reference: 1,
///                       rows: [.init(label: "early vs placebo", estimate: 0.62, lower: 0.45, upper: 0.85)])
/// let svg = plot.render()
/// ```
/// Each row also prints "estimate [lower, upper]" at the right. Rows with a non-drawable estimate show only their
/// text. Deterministic, escaped output as for `SVGPlot`.
public struct ForestPlot: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        public init(label: String, estimate: Double, lower: Double, upper: Double) {
            self.label = label
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
        }
    }

    public var title: String
    public var axis: Axis
    /// The no-effect value drawn as a dashed line; nil for none.
    public var reference: Double?
    public var rows: [Row]
    public var width: Double

    public init(title: String, axis: Axis = Axis(), reference: Double? = 0, rows: [Row], width: Double = 720) {
        self.title = title
        self.axis = axis
        self.reference = reference
        self.rows = rows
        self.width = width
    }

    /// Height in pixels: 28 per row plus title and axis.
    public var height: Double { 90 + 28 * Double(max(rows.count, 1)) }

    public func render() -> String {
        let area = PlotArea(left: 200, right: width - 150, top: 40, bottom: height - 50)
        let values = rows.flatMap { [$0.estimate, $0.lower, $0.upper] } + (reference.map { [$0] } ?? [])
        let ticks = SVGPlot.ticks(for: axis, values: values)
        let mx = AxisMap(scale: axis.scale, range: ticks.range, from: area.left, to: area.right)
        var out = SVGWriter.open(width: width, height: height, title: title)
        out += SVGWriter.xTicks(ticks, map: mx, area: area)
        out += SVGWriter.frame(area)
        if let reference, let px = mx(reference) {
            out += "<line x1=\"\(Markup.px(px))\" y1=\"\(Markup.px(area.top))\" x2=\"\(Markup.px(px))\" y2=\"\(Markup.px(area.bottom))\" "
                + "stroke=\"#777777\" stroke-dasharray=\"5 4\"/>\n"
        }
        for (i, row) in rows.enumerated() {
            let y = area.top + 14 + 28 * Double(i), py = Markup.px(y), ty = Markup.px(y + 4)
            out += "<text x=\"\(Markup.px(area.left - 8))\" y=\"\(ty)\" text-anchor=\"end\">\(Markup.escape(row.label))</text>\n"
            if let lo = mx.clamped(row.lower), let hi = mx.clamped(row.upper), row.lower.isFinite, row.upper.isFinite {
                out += "<line x1=\"\(Markup.px(lo))\" y1=\"\(py)\" x2=\"\(Markup.px(hi))\" y2=\"\(py)\" stroke=\"#0072B2\" stroke-width=\"2\"/>\n"
            }
            if let px = mx(row.estimate) {
                out += "<rect x=\"\(Markup.px(px - 5))\" y=\"\(Markup.px(y - 5))\" width=\"10\" height=\"10\" fill=\"#0072B2\"/>\n"
            }
            let text = "\(Markup.readable(row.estimate, significant: 3)) [\(Markup.readable(row.lower, significant: 3)), "
                + "\(Markup.readable(row.upper, significant: 3))]"
            out += "<text x=\"\(Markup.px(area.right + 8))\" y=\"\(ty)\">\(Markup.escape(text))</text>\n"
        }
        out += SVGWriter.axisLabels(x: axis.label, y: "", area: area, height: height)
        return out + "</svg>\n"
    }
}
