import Foundation

/// The waterfall plot of a multi-start run as a standalone SVG document.
///
/// Starts are sorted by final objective along x; y is `objective − best + 1` on a log₁₀ axis, so the best
/// start sits at 1 and the convergence band (within `tolerance` of the best, drawn dashed) at 1 + tolerance.
/// Converged starts are blue, the others grey; failed starts (no finite objective) are counted in the
/// caption, not drawn.
public enum WaterfallPlot {
    public static func svg(_ result: MultiStartResult, tolerance: Double = 0.1, title: String = "Waterfall") -> String {
        let width = 640.0, height = 400.0
        let left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let finished = result.runs.filter { !$0.isFailed }
        let best = finished.first?.result.value ?? 0
        let shifted = finished.map { $0.result.value - best + 1 }
        let decades = max(1, Int(log10(shifted.max() ?? 10).rounded(.up)))
        let count = max(result.runs.count, 1)
        func px(_ rank: Int) -> Double { left + plotWidth * (Double(rank) + 0.5) / Double(count) }
        func py(_ y: Double) -> Double { top + plotHeight * (1 - log10(y) / Double(decades)) }

        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
        viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(fmt(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
        for k in 0...decades {
            let y = py(pow(10, Double(k)))
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(y))\" "
            svg += "stroke=\"#e0e0e0\"/>\n"
            svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\">1e\(k)</text>\n"
        }
        let band = py(1 + tolerance)
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(band))\" x2=\"\(fmt(width - right))\" y2=\"\(fmt(band))\" "
        svg += "stroke=\"#1f77b4\" stroke-dasharray=\"4 3\"/>\n"
        svg += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotWidth))\" height=\"\(fmt(plotHeight))\" "
        svg += "fill=\"none\" stroke=\"black\"/>\n"
        if !shifted.isEmpty {
            let path = shifted.enumerated().map { "\(fmt(px($0.offset))),\(fmt(py($0.element)))" }
            svg += "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#999999\"/>\n"
        }
        for (rank, y) in shifted.enumerated() {
            let colour = y - 1 <= tolerance ? "#1f77b4" : "#7f7f7f"
            svg += "<circle cx=\"\(fmt(px(rank)))\" cy=\"\(fmt(py(y)))\" r=\"3\" fill=\"\(colour)\"/>\n"
        }
        let stats = result.statistics(tolerance: tolerance)
        svg += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(height - 28))\" text-anchor=\"middle\">"
        svg += "start (sorted by final objective)</text>\n"
        svg += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(height - 10))\" text-anchor=\"middle\" fill=\"#555555\">"
        svg += "\(stats.converged) of \(stats.starts) starts within \(tolerance) of the best (\(best)); "
        svg += "\(stats.failed) failed</text>\n"
        svg += "<text transform=\"translate(16 \(fmt(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">"
        svg += "objective − best + 1</text>\n"
        svg += "</svg>\n"
        return svg
    }

    private static func fmt(_ v: Double) -> String { String(format: "%.2f", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
