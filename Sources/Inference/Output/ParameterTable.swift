import ModelFormats

/// Writes fitted parameters as a PEtab v1 parameter table.
public enum ParameterTable {
    /// A tab-separated PEtab parameter table with columns `parameterId`, `parameterScale`, `lowerBound`,
    /// `upperBound`, `nominalValue`, `estimate`: bounds and `nominalValue` on the linear scale (as PEtab
    /// requires), `nominalValue` set to the estimate and `estimate` to 1: the estimated parameters only (for a
    /// PEtab problem, `tsv(table:estimates:)` writes the whole table).
    ///
    /// - Parameters:
    ///   - names: parameter ids.
    ///   - estimates, lowerBounds, upperBounds: on the optimisation scale, one per parameter.
    ///   - scales: each parameter's scale (default: all `lin`).
    /// - Returns: the table with a header line and one line per parameter, each ending in a newline.
    /// - Throws: `InferenceInputError` when the arrays' lengths differ.
    public static func tsv(names: [String], estimates: [Double], lowerBounds: [Double], upperBounds: [Double],
                           scales: [PEtabScale]? = nil) throws -> String {
        try require(estimates.count == names.count && lowerBounds.count == names.count
                    && upperBounds.count == names.count, "parameter table",
                    "one estimate and bound pair per parameter (\(names.count) names)")
        let scales = scales ?? Array(repeating: .lin, count: names.count)
        try require(scales.count == names.count, "parameter table", "\(scales.count) scales for \(names.count) parameters")
        var text = "parameterId\tparameterScale\tlowerBound\tupperBound\tnominalValue\testimate\n"
        for i in names.indices {
            let s = scales[i]
            text += "\(names[i])\t\(s.rawValue)\t\(s.unscale(lowerBounds[i]))\t\(s.unscale(upperBounds[i]))\t"
            text += "\(s.unscale(estimates[i]))\t1\n"
        }
        return text
    }

    /// A problem's whole parameter table with the estimated rows' `nominalValue` set to `estimates`: every row in
    /// the problem's order, fixed ones unchanged, with `parameterName` and the objective prior columns, so that the
    /// file replaces the problem's own table (the fitted values as its nominal point, `twin fit --nominal`) or
    /// starts a later fit (`twin fit --initial`).
    ///
    /// - Parameters:
    ///   - table: the problem's parameter table (`PEtabProblem.parameters`).
    ///   - estimates: on the optimisation scale, one per estimated row in table order.
    /// - Throws: `InferenceInputError` when `estimates` does not have one entry per estimated row.
    public static func tsv(table: [PEtabParameter], estimates: [Double]) throws -> String {
        let estimated = table.filter(\.estimate).count
        try require(estimates.count == estimated, "parameter table", "\(estimates.count) estimates for \(estimated) estimated parameters")
        let priors = table.contains { $0.prior != nil }
        var text = "parameterId\tparameterName\tparameterScale\tlowerBound\tupperBound\tnominalValue\testimate"
        text += priors ? "\tobjectivePriorType\tobjectivePriorParameters\n" : "\n"
        var next = 0
        for row in table {
            var value = row.nominalValue
            if row.estimate {
                value = row.scale.unscale(estimates[next])
                next += 1
            }
            text += "\(row.id)\t\(row.name ?? "")\t\(row.scale.rawValue)\t\(cell(row.lowerBound))\t\(cell(row.upperBound))\t"
            text += "\(value)\t\(row.estimate ? 1 : 0)"
            if priors {
                text += row.prior.map { "\t\($0.kind.rawValue)\t\($0.parameters.0);\($0.parameters.1)" } ?? "\t\t"
            }
            text += "\n"
        }
        return text
    }

    /// A bound as PEtab writes it: empty when unbounded (fixed parameters may have no bounds).
    private static func cell(_ bound: Double) -> String { bound.isFinite ? "\(bound)" : "" }

    /// The best start's parameters of a multi-start run (nil when every start failed).
    public static func tsv<O: ObjectiveFunction>(best result: MultiStartResult, objective: O,
                                                 scales: [PEtabScale]? = nil) throws -> String? {
        guard let best = result.best else { return nil }
        return try tsv(names: objective.parameterNames, estimates: best.result.x, lowerBounds: objective.lowerBounds,
                   upperBounds: objective.upperBounds, scales: scales)
    }
}
