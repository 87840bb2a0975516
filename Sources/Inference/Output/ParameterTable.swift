import ModelFormats

/// Writes estimated parameters as a PEtab v1 parameter table.
public enum ParameterTable {
    /// A tab-separated PEtab parameter table with columns `parameterId`, `parameterScale`, `lowerBound`,
    /// `upperBound`, `nominalValue`, `estimate`: bounds and `nominalValue` on the linear scale (as PEtab
    /// requires), `nominalValue` set to the estimate and `estimate` to 1, so that the file can replace the
    /// problem's parameter table to start from the fit.
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

    /// The best start's parameters of a multi-start run (nil when every start failed).
    public static func tsv<O: ObjectiveFunction>(best result: MultiStartResult, objective: O,
                                                 scales: [PEtabScale]? = nil) throws -> String? {
        guard let best = result.best else { return nil }
        return try tsv(names: objective.parameterNames, estimates: best.result.x, lowerBounds: objective.lowerBounds,
                   upperBounds: objective.upperBounds, scales: scales)
    }
}
