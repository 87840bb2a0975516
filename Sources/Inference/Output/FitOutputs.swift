import Foundation
import ModelFormats

/// Writes the files of a multi-start fit into a directory (what `twin fit … --out DIR` produces):
/// `parameters.tsv` (PEtab parameter table of the best start; omitted when every start failed),
/// `waterfall.svg` and `convergence.json`.
public enum FitOutputs {
    public static let parameterTableName = "parameters.tsv"
    public static let waterfallName = "waterfall.svg"
    public static let convergenceName = "convergence.json"

    /// - Parameters:
    ///   - result: the multi-start run.
    ///   - objective: the objective it minimised (names and bounds for the parameter table).
    ///   - scales: each parameter's `parameterScale` (default: all `lin`).
    ///   - table: the problem's whole parameter table, when the objective is a PEtab problem's: `parameters.tsv`
    ///     is then that table with the best fit's values (fixed rows and priors kept), not only the estimated rows.
    ///   - directory: created if missing; existing files of these names are replaced.
    ///   - tolerance: the convergence band for the waterfall and statistics (objective units).
    ///   - provenance: recorded in `convergence.json` (e.g. program version, model hash, problem path); the seed
    ///     is always recorded in the statistics.
    /// - Returns: the files written.
    /// - Throws: file-system errors; `InferenceInputError` when `scales` does not have one entry per parameter.
    @discardableResult
    public static func write<O: ObjectiveFunction>(_ result: MultiStartResult, objective: O,
                                                   scales: [PEtabScale]? = nil, table: [PEtabParameter]? = nil,
                                                   to directory: URL,
                                                   tolerance: Double = 0.1, title: String = "Waterfall",
                                                   provenance: [String: String] = [:]) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        let text: String?
        if let table, let best = result.best {
            text = try ParameterTable.tsv(table: table, estimates: best.result.x)
        } else {
            text = try ParameterTable.tsv(best: result, objective: objective, scales: scales)
        }
        if let text {
            let url = directory.appendingPathComponent(parameterTableName)
            try Data(text.utf8).write(to: url)
            written.append(url)
        }
        let waterfall = directory.appendingPathComponent(waterfallName)
        try Data(WaterfallPlot.svg(result, tolerance: tolerance, title: title).utf8).write(to: waterfall)
        let convergence = directory.appendingPathComponent(convergenceName)
        try ConvergenceReport(result, tolerance: tolerance, provenance: provenance).json().write(to: convergence)
        return written + [waterfall, convergence]
    }
}
