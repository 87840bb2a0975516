import Reports

/// The waterfall plot of a multi-start run (pyPESTO's presentation), drawn with the `Reports` module.
///
/// Starts are sorted by final objective along x; y is `objective − best + 1` on a log₁₀ axis, so the best
/// start sits at 1 and the convergence band (within `tolerance` of the best) below the dashed line at
/// 1 + tolerance. Converged starts are blue, the others grey; failed starts (no finite objective) cannot be
/// drawn and are counted in the legend.
public enum WaterfallPlot {
    /// The plot, to render or to embed in an HTML report.
    public static func plot(_ result: MultiStartResult, tolerance: Double = 0.1, title: String = "Waterfall") -> SVGPlot {
        let stats = result.statistics(tolerance: tolerance)
        let finished = result.runs.filter { !$0.isFailed }
        let best = stats.bestValue
        let ranks = finished.indices.map { Double($0 + 1) }
        let shifted = finished.map { $0.result.value - best + 1 }
        let isConverged = shifted.map { $0 - 1 <= tolerance }
        func pick(_ converged: Bool) -> (x: [Double], y: [Double]) {
            let kept = shifted.indices.filter { isConverged[$0] == converged }
            return (kept.map { ranks[$0] }, kept.map { shifted[$0] })
        }
        let (cx, cy) = pick(true), (ox, oy) = pick(false)
        var others = "other starts (\(ox.count))"
        if stats.failed > 0 { others = "other starts (\(ox.count); \(stats.failed) failed, not shown)" }
        return SVGPlot(
            title: title,
            xAxis: Axis(label: "start (sorted by final objective)"),
            yAxis: Axis(label: "objective − best + 1", scale: .log10),
            series: [.line("", x: ranks, y: shifted, color: .gray),
                     .horizontalLine("best + \(tolerance)", y: 1 + tolerance, color: .palette(0)),
                     .points("within \(tolerance) of the best (\(stats.converged) of \(stats.starts))", x: cx, y: cy,
                             color: .palette(0)),
                     .points(others, x: ox, y: oy, color: .gray)])
    }

    /// The plot as a standalone SVG document.
    public static func svg(_ result: MultiStartResult, tolerance: Double = 0.1, title: String = "Waterfall") -> String {
        plot(result, tolerance: tolerance, title: title).render()
    }
}
