/// The starts of a multi-start optimisation, sorted by final objective (failed starts last).
public struct MultiStartResult: Sendable, Equatable, Codable {
    /// Every start, lowest final objective first; ties keep start-index order.
    public var runs: [StartRun]
    public var parameterNames: [String]
    public var seed: UInt64
    /// Wall-clock seconds of the whole multi-start run.
    public var wallSeconds: Double

    public init(runs: [StartRun], parameterNames: [String], seed: UInt64, wallSeconds: Double) {
        self.runs = runs.sorted { a, b in
            let va = a.result.value.isNaN ? .infinity : a.result.value
            let vb = b.result.value.isNaN ? .infinity : b.result.value
            return va != vb ? va < vb : a.index < b.index
        }
        self.parameterNames = parameterNames
        self.seed = seed
        self.wallSeconds = wallSeconds
    }

    /// The run with the lowest finite objective, or nil when every start failed.
    public var best: StartRun? { runs.first.flatMap { $0.isFailed ? nil : $0 } }

    /// The final objective of every start in waterfall order (`.infinity` for failed starts).
    public var waterfall: [Double] { runs.map { $0.result.value.isNaN ? .infinity : $0.result.value } }

    /// Convergence statistics: a start counts as converged when its final objective is within
    /// `tolerance` of the best start's.
    public func statistics(tolerance: Double = 0.1) -> ConvergenceStatistics {
        ConvergenceStatistics(self, tolerance: tolerance)
    }
}

/// How many starts of a multi-start run reached the best objective, and at what cost.
public struct ConvergenceStatistics: Sendable, Equatable, Codable {
    public var starts: Int
    /// Starts with a finite final objective.
    public var finished: Int
    /// Starts for which no start point with a finite objective was found.
    public var failed: Int
    /// Starts whose final objective is within `tolerance` of the best.
    public var converged: Int
    public var tolerance: Double
    public var fractionConverged: Double
    public var bestValue: Double
    /// Sum of every start's optimisation seconds (CPU-seconds of work, independent of the thread count)
    /// divided by `converged`; infinite when no start converged.
    public var secondsPerConvergedStart: Double
    /// Wall-clock seconds of the run divided by `converged`.
    public var wallSecondsPerConvergedStart: Double
    public var totalStartSeconds: Double
    public var wallSeconds: Double
    /// Number of starts by the local optimiser's exit reason (`OptimisationExit` raw values).
    public var exits: [String: Int]
    public var seed: UInt64

    public init(_ result: MultiStartResult, tolerance: Double = 0.1) {
        starts = result.runs.count
        failed = result.runs.filter(\.isFailed).count
        finished = starts - failed
        bestValue = result.best?.result.value ?? .infinity
        let best = bestValue
        converged = result.runs.filter { !$0.isFailed && $0.result.value - best <= tolerance }.count
        self.tolerance = tolerance
        fractionConverged = starts == 0 ? 0 : Double(converged) / Double(starts)
        totalStartSeconds = result.runs.reduce(0) { $0 + $1.result.seconds }
        wallSeconds = result.wallSeconds
        secondsPerConvergedStart = converged == 0 ? .infinity : totalStartSeconds / Double(converged)
        wallSecondsPerConvergedStart = converged == 0 ? .infinity : wallSeconds / Double(converged)
        exits = Dictionary(result.runs.map { ($0.result.exit.rawValue, 1) }, uniquingKeysWith: +)
        seed = result.seed
    }
}
