import Foundation
import Sampling

/// Multi-start local optimisation: many starts spread over the bounds, each optimised independently, in
/// parallel.
///
/// Start points are a Latin hypercube of `starts` points in the box (`LatinHypercube.sample` with `seed`).
/// A start at which the objective is not finite is redrawn uniformly in the box from
/// `RandomStream(seed:index:purpose: "multistart-resample")` keyed by the start's index, up to
/// `maxResamples` times, then recorded as failed. Each start's result therefore depends only on its index:
/// the runs are identical for any thread count, and a selection of starts (`selection`, e.g. the starts whose
/// index is k modulo m, or those a run cut short did not reach) gives exactly those starts' runs of the whole
/// design, so a run split over several processes or machines, or resumed, gives the same starts as one run.
///
/// With `restarts` R > 0, a start whose local optimisation stopped is restarted from its end point (a fresh
/// trust region and curvature model) while a restart lowers the objective by more than `restartTolerance`,
/// at most R times: this recovers starts that a collapsed trust region or a stale secant model stopped on a
/// slope. The start's run is then the lowest optimisation's, with the iterations, evaluations and seconds of
/// all of them and the first start point.
///
/// `givenStarts` adds start points chosen by the user (a previous fit, the problem's nominal values) after the
/// design: given start j has index `starts + j`, is optimised as it is (no redraw when its objective is not
/// finite: it is then recorded as failed) and is not affected by `selection`.
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
    /// The indices of the starts this run computes (nil: all `0..<starts`).
    public var selection: [Int]?
    /// Most restarts of a start's local optimisation from its own end point (0: none).
    public var restarts: Int
    /// A restart counts as progress when it lowers the objective by more than this (objective units).
    public var restartTolerance: Double
    /// Start points given by the user (optimisation scale), run after the design's as starts
    /// `starts`, `starts + 1`, …; each must lie within the bounds.
    public var givenStarts: [[Double]]

    /// The starts whose index is `index` modulo `count` (one shard of `count`), in increasing order.
    public static func shard(_ index: Int, of count: Int, starts: Int) -> [Int] {
        guard count >= 1, index >= 0 else { return [] }
        return Array(stride(from: index, to: starts, by: count))
    }

    /// The starts a list such as `76-99,4,13` names (0-based indices and inclusive ranges, in the order given).
    /// - Throws: `InferenceInputError` naming the item that is not an index or an ascending range I-J, or
    ///   the start outside `0..<starts`, or when a start is named twice.
    public static func selection(parsing list: String, starts: Int) throws -> [Int] {
        var indices: [Int] = []
        for item in list.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), let first = bounds[0], let last = bounds[bounds.count - 1],
                  first >= 0, first <= last else {
                throw InferenceInputError(element: "MultiStart.selection",
                                          reason: "'\(item)' is not an index or an ascending range I-J")
            }
            indices += first...last
        }
        try checkSelection(indices, starts: starts)
        return indices
    }

    /// Throws `InferenceInputError` for a selected index outside `0..<starts` or one selected twice.
    static func checkSelection(_ indices: [Int], starts: Int) throws {
        if let bad = indices.first(where: { !(0..<starts).contains($0) }) {
            throw InferenceInputError(element: "MultiStart.selection", reason: "start \(bad) is outside 0..<\(starts)")
        }
        try require(Set(indices).count == indices.count, "MultiStart.selection", "selects a start twice")
    }

    public init(starts: Int, seed: UInt64, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                maxResamples: Int = 10, selection: [Int]? = nil, restarts: Int = 0, restartTolerance: Double = 1e-3,
                givenStarts: [[Double]] = []) {
        self.starts = starts
        self.seed = seed
        self.threads = threads
        self.maxResamples = maxResamples
        self.selection = selection
        self.restarts = restarts
        self.restartTolerance = restartTolerance
        self.givenStarts = givenStarts
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
    /// - Throws: `InferenceInputError` for a negative start, resample or restart count, a selected index
    ///   outside `0..<starts` or selected twice, a negative restart tolerance, invalid optimiser options,
    ///   bounds that are not finite and ordered, or a given start point of the wrong dimension, not finite or
    ///   outside the bounds (naming the start and the parameter).
    public func run<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, optimiser: L,
                                                            progress: (@Sendable (StartRun) -> Void)? = nil) throws -> MultiStartResult {
        try require(starts >= 0, "MultiStart.starts", "must be ≥ 0, got \(starts)")
        try require(maxResamples >= 0, "MultiStart.maxResamples", "must be ≥ 0, got \(maxResamples)")
        try require(restarts >= 0, "MultiStart.restarts", "must be ≥ 0, got \(restarts)")
        try require(restartTolerance >= 0, "MultiStart.restartTolerance", "must be ≥ 0, got \(restartTolerance)")
        let indices = selection ?? Array(0..<starts)
        try Self.checkSelection(indices, starts: starts)
        try optimiser.options.validate()
        try objective.validateBounds()
        try checkGivenStarts(objective)
        let clock = ContinuousClock.now
        let design = startPoints(for: objective) + givenStarts
        let runs = parallelMap(count: indices.count + givenStarts.count, threads: threads) { k -> StartRun in
            let index = k < indices.count ? indices[k] : starts + k - indices.count
            let run = runStart(index, from: design[index], objective, optimiser)
            progress?(run)
            return run
        }
        return MultiStartResult(runs: runs, parameterNames: objective.parameterNames, seed: seed,
                                wallSeconds: secondsSince(clock))
    }

    /// Throws `InferenceInputError` for a given start point of the wrong dimension, or with a coordinate that is
    /// not finite or lies outside the bounds.
    private func checkGivenStarts<O: ObjectiveFunction>(_ objective: O) throws {
        let lower = objective.lowerBounds, upper = objective.upperBounds, names = objective.parameterNames
        for (j, point) in givenStarts.enumerated() {
            let element = "MultiStart.givenStarts[\(j)]"
            try require(point.count == lower.count, element, "has \(point.count) coordinates, the objective \(lower.count)")
            for i in point.indices where !(point[i] >= lower[i] && point[i] <= upper[i]) {
                throw InferenceInputError(element: element,
                                          reason: "\(names[i]) = \(point[i]) is outside its bounds [\(lower[i]), \(upper[i])]")
            }
        }
    }

    /// One start: redraw while the objective is not finite at the start point, optimise, then restart from
    /// the end point while that makes progress (`restarts`).
    private func runStart<O: ObjectiveFunction, L: LocalOptimiser>(_ index: Int, from designPoint: [Double],
                                                                  _ objective: O, _ optimiser: L) -> StartRun {
        var point = designPoint
        var stream = RandomStream(seed: seed, index: index, purpose: "multistart-resample")
        let lower = objective.lowerBounds, upper = objective.upperBounds
        var resamples = 0
        var result = optimiser.minimise(objective, from: point)
        var seconds = result.seconds
        let redraws = index < starts ? maxResamples : 0
        while result.exit == .nonFiniteStart && resamples < redraws {
            resamples += 1
            point = (0..<lower.count).map { lower[$0] + stream.nextUniform() * (upper[$0] - lower[$0]) }
            result = optimiser.minimise(objective, from: point)
            seconds += result.seconds
        }
        var iterations = result.iterations, evaluations = result.evaluations
        var residualEvaluations = result.residualEvaluations
        let start = result.start, startValue = result.startValue
        for _ in 0..<(result.value.isFinite ? restarts : 0) {
            let again = optimiser.minimise(objective, from: result.x)
            seconds += again.seconds
            iterations += again.iterations
            evaluations += again.evaluations
            residualEvaluations += again.residualEvaluations
            let progress = again.value < result.value - restartTolerance
            if again.value < result.value { result = again }
            if !progress { break }
        }
        result.start = start
        result.startValue = startValue
        result.iterations = iterations
        result.evaluations = evaluations
        result.residualEvaluations = residualEvaluations
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
