import Foundation

/// The JSON record of a multi-start run: convergence statistics and one line per start.
public struct ConvergenceReport: Sendable, Equatable, Codable {
    /// One start in waterfall order.
    public struct Start: Sendable, Equatable, Codable {
        public var index: Int
        public var value: Double
        public var startValue: Double
        public var exit: OptimisationExit
        public var iterations: Int
        public var evaluations: Int
        public var residualEvaluations: Int
        public var resamples: Int
        public var gradientNorm: Double
        public var seconds: Double
        public var isConverged: Bool
    }

    /// What the caller records about the run (program version, model hash, problem file, options…).
    public var provenance: [String: String]
    public var statistics: ConvergenceStatistics
    public var parameterNames: [String]
    public var bestParameters: [Double]?
    public var starts: [Start]

    public init(_ result: MultiStartResult, tolerance: Double = 0.1, provenance: [String: String] = [:]) {
        self.provenance = provenance
        statistics = result.statistics(tolerance: tolerance)
        parameterNames = result.parameterNames
        bestParameters = result.best?.result.x
        let best = statistics.bestValue
        starts = result.runs.map { run in
            let r = run.result
            return Start(index: run.index, value: r.value, startValue: r.startValue, exit: r.exit,
                         iterations: r.iterations, evaluations: r.evaluations,
                         residualEvaluations: r.residualEvaluations, resamples: run.resamples,
                         gradientNorm: r.gradientNorm, seconds: r.seconds,
                         isConverged: !run.isFailed && r.value - best <= tolerance)
        }
    }

    /// Pretty-printed JSON with sorted keys; non-finite numbers are written as the strings "Infinity",
    /// "-Infinity" and "NaN" (JSON has no such numbers).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity",
                                                                      negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(self)
    }
}
