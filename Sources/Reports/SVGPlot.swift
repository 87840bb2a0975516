/// A two-axis chart rendered as a self-contained `<svg>` string: title, axes with nice ticks (linear or log10),
/// grid, axis labels, legend, and any mix of `Series` (lines, steps with censoring marks, bands, points with error
/// bars, bars, reference lines).
///
/// ```swift
/// var plot = SVGPlot(title: "Viral load", xAxis: Axis(label: "time (d)"),
///                    yAxis: Axis(label: "copies/mL", scale: .log10))
/// plot.series.append(.band("5–95 %", x: t, lower: q05, upper: q95, color: .palette(0)))
/// plot.series.append(.line("median", x: t, y: q50, color: .palette(0)))
/// let svg = plot.render()
/// ```
/// Output is deterministic: the same plot gives byte-identical SVG (coordinates with two decimals, no clock, no
/// randomness). All text is XML-escaped. Sizes are in CSS pixels.
public struct SVGPlot: Sendable, Equatable {
    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    /// Drawn in order (later series on top).
    public var series: [Series]
    public var width: Double
    public var height: Double

    public init(title: String, xAxis: Axis = Axis(), yAxis: Axis = Axis(), series: [Series] = [],
                width: Double = 640, height: Double = 400) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.width = width
        self.height = height
    }

    /// The ticks (and so the ranges) the plot will use on each axis.
    public func ticks() -> (x: Ticks, y: Ticks) {
        (Self.ticks(for: xAxis, values: series.flatMap(\.extentX)),
         Self.ticks(for: yAxis, values: series.flatMap(\.extentY)))
    }

    static func ticks(for axis: Axis, values: [Double]) -> Ticks {
        if let range = axis.range {
            return Ticks.make(low: range.lowerBound, high: range.upperBound, scale: axis.scale, widen: false)
        }
        let usable = values.filter { $0.isFinite && (axis.scale == .linear || $0 > 0) }
        guard let low = usable.min(), let high = usable.max() else {
            return Ticks.make(low: .nan, high: .nan, scale: axis.scale)
        }
        return Ticks.make(low: low, high: high, scale: axis.scale)
    }

    /// The chart as an `<svg>` element with its own namespace, ready to save as a .svg file or inline into HTML.
    public func render() -> String {
        let margin = (left: 70.0, right: 16.0, top: 36.0, bottom: 52.0)
        let area = PlotArea(left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom)
        let (xt, yt) = ticks()
        let mx = AxisMap(scale: xAxis.scale, range: xt.range, from: area.left, to: area.right)
        let my = AxisMap(scale: yAxis.scale, range: yt.range, from: area.bottom, to: area.top)

        var layers = ""
        for s in series { layers += s.svg(x: mx, y: my, area: area) }
        let clip = "clip-" + Markup.hash(title + layers)

        var out = SVGWriter.open(width: width, height: height, title: title)
        out += "<defs><clipPath id=\"\(clip)\"><rect x=\"\(Markup.px(area.left))\" y=\"\(Markup.px(area.top))\" "
            + "width=\"\(Markup.px(area.right - area.left))\" height=\"\(Markup.px(area.bottom - area.top))\"/></clipPath></defs>\n"
        out += SVGWriter.xTicks(xt, map: mx, area: area)
        out += SVGWriter.yTicks(yt, map: my, area: area)
        out += "<g clip-path=\"url(#\(clip))\">\n" + layers + "</g>\n"
        out += SVGWriter.frame(area)
        out += SVGWriter.axisLabels(x: xAxis.label, y: yAxis.label, area: area, height: height)
        out += SVGWriter.legend(series.filter { !$0.name.isEmpty }, area: area)
        out += "</svg>\n"
        return out
    }
}

/// The rectangle of the plot area in pixels (y grows downwards).
struct PlotArea {
    let left, right, top, bottom: Double
}
