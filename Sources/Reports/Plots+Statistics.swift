import Statistics

extension Series {
    /// A Kaplan–Meier curve as a step series from (0, 1) with censoring marks, preceded by its pointwise
    /// confidence band when `showInterval` is true. Append both to a plot's `series`.
    public static func kaplanMeier(_ estimate: KaplanMeier, name: String, color: PlotColor,
                                   showInterval: Bool = true) -> [Series] {
        let start = min(0, estimate.steps.first?.time ?? 0)
        let x = [start] + estimate.steps.map(\.time)
        let y = [1.0] + estimate.steps.map(\.survival)
        let censored = estimate.steps.filter { $0.censored > 0 }
        var result: [Series] = []
        if showInterval {
            result.append(.band("", x: x, lower: [1.0] + estimate.steps.map(\.lower), upper: [1.0] + estimate.steps.map(\.upper),
                                color: color, stepped: true))
        }
        result.append(.step(name, x: x, y: y, censorX: censored.map(\.time), censorY: censored.map(\.survival), color: color))
        return result
    }

    /// Equal-width histogram bars of `values` (finite ones) over `bins` bins spanning `range` (default: the data's
    /// range); heights are counts, or densities (count / (n · width)) when `density` is true. Empty when no finite value.
    public static func histogram(_ name: String, values: [Double], bins: Int = 20, range: ClosedRange<Double>? = nil,
                                 density: Bool = false, color: PlotColor) -> Series {
        let finite = values.filter(\.isFinite)
        guard bins >= 1, let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else {
            return .bars(name, edges: [], heights: [], color: color)
        }
        let span = high > low ? high - low : 1
        let edges = (0...bins).map { low + span * Double($0) / Double(bins) }
        var counts = [Double](repeating: 0, count: bins)
        for v in finite where v >= low && v <= low + span {
            counts[min(Int((v - low) / span * Double(bins)), bins - 1)] += 1
        }
        if density, !finite.isEmpty {
            let binMass = Double(finite.count) * span / Double(bins)
            counts = counts.map { $0 / binMass }
        }
        return .bars(name, edges: edges, heights: counts, color: color)
    }
}

extension SVGPlot {
    /// A power curve: estimated power against sample size with its confidence band and a dashed 80 % line.
    public static func powerCurve(_ curve: PowerCurve, title: String = "Power", sizeLabel: String = "sample size",
                                  color: PlotColor = .palette(0)) -> SVGPlot {
        let x = curve.points.map { Double($0.size) }
        return SVGPlot(title: title, xAxis: Axis(label: sizeLabel),
                       yAxis: Axis(label: "power", range: 0...1),
                       series: [.band("95 % CI", x: x, lower: curve.points.map(\.interval.lower),
                                      upper: curve.points.map(\.interval.upper), color: color),
                                .line("", x: x, y: curve.points.map(\.power), color: color),
                                .points("power", x: x, y: curve.points.map(\.power), color: color),
                                .horizontalLine("80 %", y: 0.8)])
    }

    /// A waterfall plot: one bar per subject, sorted from largest to smallest value, coloured by `groups`
    /// (one legend entry per distinct group, in first-appearance order after sorting; all one colour when nil; missing
    /// entries count as the group ""), with dashed
    /// reference lines at `thresholds` (e.g. +20 % and −30 % change from baseline). Non-finite values are dropped.
    public static func waterfall(title: String, values: [Double], groups: [String]? = nil, valueLabel: String,
                                 thresholds: [Double] = []) -> SVGPlot {
        var items = values.indices.filter { values[$0].isFinite }.map { i in
            (values[i], groups.map { i < $0.count ? $0[i] : "" } ?? "")
        }
        items.sort { $0.0 > $1.0 }
        var names: [String] = []
        for item in items where !names.contains(item.1) { names.append(item.1) }
        var series: [Series] = []
        for (g, name) in names.enumerated() {
            var edges: [Double] = [], heights: [Double] = []
            // Bars of other groups leave gaps: emit one bar per member as a two-edge segment separated by NaN heights.
            for (i, item) in items.enumerated() {
                edges.append(Double(i)); heights.append(item.1 == name ? item.0 : .nan)
            }
            edges.append(Double(items.count))
            series.append(.bars(name, edges: edges, heights: heights, color: .palette(g)))
        }
        for t in thresholds { series.append(.horizontalLine("", y: t)) }
        return SVGPlot(title: title, xAxis: Axis(label: "subjects, sorted"), yAxis: Axis(label: valueLabel), series: series)
    }
}
