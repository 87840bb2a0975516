import Foundation
import ModelFormats
import Reports

/// Fits-vs-data plots and the `fits.tsv` table of a `FitComparison`, drawn with the `Reports` module.
///
/// A panel's plot shows its measurements at finite times as points, with ± σ error bars where σ is finite and
/// positive (on the transformed scale: m·e^{±σ} for `log`, m·10^{±σ} for `log10`), and each simulated curve as
/// a line; the y axis is log₁₀ when the observable has a log transformation. Steady-state measurements cannot
/// be drawn and are counted in the legend.
public enum FitPlot {
    public static let tableName = "fits.tsv"

    /// The plot of one panel.
    public static func plot(_ panel: FitComparison.Panel, of comparison: FitComparison) -> SVGPlot {
        let rows = panel.rows.map { comparison.rows[$0] }
        let drawn = rows.filter(\.time.isFinite)
        let bars = drawn.map { r -> (Double, Double) in
            guard r.sigma.isFinite, r.sigma > 0 else { return (.nan, .nan) }
            switch panel.transformation {
            case .lin: return (r.measurement - r.sigma, r.measurement + r.sigma)
            case .log: return (r.measurement * exp(-r.sigma), r.measurement * exp(r.sigma))
            case .log10: return (r.measurement * pow(10, -r.sigma), r.measurement * pow(10, r.sigma))
            }
        }
        var name = bars.contains { $0.0.isFinite } ? "measurements ± σ (\(drawn.count))" : "measurements (\(drawn.count))"
        if drawn.count < rows.count { name += "; \(rows.count - drawn.count) at steady state, not shown" }
        let lines = panel.curves.enumerated().map { i, c in
            Series.line(c.label, x: panel.times, y: c.values, color: .palette(i == 0 ? 0 : i + 1))
        }
        return SVGPlot(title: "\(panel.observable) in condition \(panel.condition)",
                       xAxis: Axis(label: "time (condition \(panel.condition))"),
                       yAxis: Axis(label: panel.observable, scale: panel.transformation == .lin ? .linear : .log10),
                       series: lines + [.points(name, x: drawn.map(\.time), y: drawn.map(\.measurement),
                                                errorLower: bars.map(\.0), errorUpper: bars.map(\.1), color: .palette(1))])
    }

    /// A tab-separated table with columns `observable`, `condition`, `time`, `measurement`, `simulation`,
    /// `residual` (see `FitComparison.Row`), a line per measurement in the measurement table's order.
    public static func tsv(_ comparison: FitComparison) -> String {
        comparison.rows.reduce(into: "observable\tcondition\ttime\tmeasurement\tsimulation\tresidual\n") { text, r in
            text += "\(r.observable)\t\(r.condition)\t\(r.time)\t\(r.measurement)\t\(r.simulation)\t\(r.residual)\n"
        }
    }

    /// Writes `fits.tsv` and one SVG per panel into `directory` (created if missing; files of these names are
    /// replaced): `fit-<observable>.svg` when every measurement is in one condition, otherwise
    /// `fit-<condition>-<observable>.svg` (characters other than letters, digits, `_` and `-` become `_`).
    /// - Returns: the files written.
    /// - Throws: file-system errors.
    @discardableResult
    public static func write(_ comparison: FitComparison, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let table = directory.appendingPathComponent(tableName)
        try Data(tsv(comparison).utf8).write(to: table)
        var written = [table]
        let byCondition = Set(comparison.panels.map(\.condition)).count > 1
        var used = Set<String>()
        for panel in comparison.panels {
            let stem = "fit-" + (byCondition ? fileSafe(panel.condition) + "-" : "") + fileSafe(panel.observable)
            var name = stem + ".svg"
            var copy = 1
            while !used.insert(name).inserted {
                copy += 1
                name = "\(stem)-\(copy).svg"
            }
            let url = directory.appendingPathComponent(name)
            try Data(plot(panel, of: comparison).render().utf8).write(to: url)
            written.append(url)
        }
        return written
    }

    static func fileSafe(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
    }
}
