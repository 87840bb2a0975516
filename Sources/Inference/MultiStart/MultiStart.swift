import Foundation
import Sampling

/// Multi-start local optimisation: many starts spread over the bounds, each optimised independently, in
/// parallel.
///
/// Start points are a Latin hypercube of `starts` points in the box (`LatinHypercube.sample` with `seed`).
/// A start at which the objective is not finite is redrawn uniformly in the box from
/// `RandomStream(seed:index:purpose: "multistart-resample")` keyed by the start's index, up to
/// `maxResamples` times, then recorded as failed. Each start's result therefore depends only on its index:
/// the runs are identical for any thread count.
///
/// ```swift
/// let fits = try MultiStart(starts: 100, seed: 1).run(objective, optimiser: TrustRegionLeastSquares())
/// fits.best?.value                          // the lowest objective over all starts
/// fits.statistics().fractionConverged       // share of starts within 0.1 of the best
/// ```
public struct MultiStart: Sendable {
    /// Number of starts.
    public var starts: Int
    /// Master seed of the start design and the resampling streams.
    public var seed: UInt64
    /// Worker threads (default: all active processors); 1 runs on the calling thread.
    public var threads: Int
    /// Redraws allowed per start whose objective is not finite.
    public var maxResamples: Int

    public init(starts: Int, seed: UInt64, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                maxResamples: Int = 10) {
        self.starts = starts
        self.seed = seed
        self.threads = threads
        self.maxResamples = maxResamples
    }

    /// The start points (before resampling), row i for start i, on the optimisation scale.
    public func startPoints<O: ObjectiveFunction>(for objective: O) -> [[Double]] {
        let lower = objective.lowerBounds, upper = objective.upperBounds
        return LatinHypercube.sample(count: starts, dimensions: lower.count, seed: seed).map { u in
            (0..<lower.count).map { lower[$0] + u[$0] * (upper[$0] - lower[$0]) }
        }
    }

    /// Runs every start and returns them sorted by final objective (the waterfall order). `progress`, when
    /// given, is called (from the worker thread) as each start finishes, in completion order — for progress
    /// reports only: the result does not depend on it.
    /// - Throws: `InferenceInputError` for a negative start or resample count, invalid optimiser options or
    ///   bounds that are not finite and ordered.
    public func run<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, optimiser: L,
                                                            progress: (@Sendable (StartRun) -> Void)? = nil) throws -> MultiStartResult {
        try require(starts >= 0, "MultiStart.starts", "must be ≥ 0, got \(starts)")
        try require(maxResamples >= 0, "MultiStart.maxResamples", "must be ≥ 0, got \(maxResamples)")
        try optimiser.options.validate()
        try objective.validateBounds()
        let clock = ContinuousClock.now
        let design = startPoints(for: objective)
        let runs = parallelMap(count: starts, threads: threads) { index -> StartRun in
            let run = runStart(index, from: design[index], objective, optimiser)
            progress?(run)
            return run
        }
        return MultiStartResult(runs: runs, parameterNames: objective.parameterNames, seed: seed,
                                wallSeconds: secondsSince(clock))
    }

    /// One start: redraw while the objective is not finite at the start point, then optimise.
    private func runStart<O: ObjectiveFunction, L: LocalOptimiser>(_ index: Int, from designPoint: [Double],
                                                                  _ objective: O, _ optimiser: L) -> StartRun {
        var point = designPoint
        var stream = RandomStream(seed: seed, index: index, purpose: "multistart-resample")
        let lower = objective.lowerBounds, upper = objective.upperBounds
        var resamples = 0
        var result = optimiser.minimise(objective, from: point)
        var seconds = result.seconds
        while result.exit == .nonFiniteStart && resamples < maxResamples {
            resamples += 1
            point = (0..<lower.count).map { lower[$0] + stream.nextUniform() * (upper[$0] - lower[$0]) }
            result = optimiser.minimise(objective, from: point)
            seconds += result.seconds
        }
        result.seconds = seconds
        return StartRun(index: index, resamples: resamples, result: result)
    }
}

/// One start of a multi-start run.
public struct StartRun: Sendable, Equatable, Codable {
    /// The start's index in the design (0-based).
    public var index: Int
    /// How many times the start point was redrawn because the objective was not finite there.
    public var resamples: Int
    /// The local optimisation from the (last) start point; `seconds` includes the failed attempts.
    public var result: OptimisationResult

    public init(index: Int, resamples: Int, result: OptimisationResult) {
        self.index = index
        self.resamples = resamples
        self.result = result
    }

    /// Whether a finite objective was reached (false when every drawn start point was infeasible).
    public var isFailed: Bool { !result.value.isFinite }
}
