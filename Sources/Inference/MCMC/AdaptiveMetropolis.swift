import Foundation
import Sampling

/// Settings of the adaptive Metropolis sampler.
public struct MCMCOptions: Sendable, Equatable, Codable {
    /// Iterations per chain, burn-in included.
    public var iterations: Int
    /// Leading iterations of each chain that are discarded.
    public var burnIn: Int
    /// Keep every `thinning`-th draw after burn-in.
    public var thinning: Int
    /// Master seed: chain c draws from `RandomStream(seed: seed, index: c, purpose: "adaptive-metropolis")`.
    public var seed: UInt64
    /// Worker threads (one chain per task); results do not depend on it.
    public var threads: Int
    /// Standard deviation of the initial Gaussian proposal, as a fraction of each parameter's bound range.
    public var initialScale: Double
    /// Iterations with the initial proposal before adaptation starts (Haario's t₀).
    public var adaptationStart: Int
    /// Regularisation ε added to the adapted covariance's diagonal, as a fraction of each range squared.
    public var regularisation: Double

    public init(iterations: Int = 20_000, burnIn: Int = 5_000, thinning: Int = 1, seed: UInt64 = 0,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, initialScale: Double = 0.01,
                adaptationStart: Int = 500, regularisation: Double = 1e-10) {
        self.iterations = iterations
        self.burnIn = burnIn
        self.thinning = thinning
        self.seed = seed
        self.threads = threads
        self.initialScale = initialScale
        self.adaptationStart = adaptationStart
        self.regularisation = regularisation
    }
}

/// Adaptive Metropolis sampling of exp(−objective) restricted to the bounds (Haario, Saksman & Tamminen,
/// Bernoulli 7, 2001, doi:10.2307/3318737).
///
/// The proposal is Gaussian around the current point: for the first `adaptationStart` iterations with
/// standard deviations `initialScale · range`, then with covariance `s_d (Cov(x₀…x_{t−1}) + ε I)`,
/// s_d = 2.4²/d, from the chain's whole history (running mean and covariance; the Cholesky factor is
/// refreshed every iteration). A proposal outside the bounds or with an infinite objective is rejected —
/// the bounds are the support of a flat prior, so the sampled density is the truncated one.
/// Chains run in parallel; each depends only on its start point and index, so results are identical for
/// any thread count.
///
/// ```swift
/// let run = try AdaptiveMetropolis(options: MCMCOptions(seed: 1)).sample(objective, starts: fits.runs.prefix(4).map(\.result.x))
/// run.diagnostics[0].rankRHat        // < 1.01 when the chains agree
/// ```
///
/// - Complexity: one `value(at:gradient: nil)` and O(d³) arithmetic per iteration.
public struct AdaptiveMetropolis: Sendable {
    public var options: MCMCOptions

    public init(options: MCMCOptions = .init()) {
        self.options = options
    }

    /// Runs one chain per start point (use over-dispersed starts, e.g. several multi-start optima or Latin
    /// hypercube points, so that R̂ can detect poor mixing).
    /// - Throws: `InferenceInputError` for invalid options or bounds, or a start with the wrong number of
    ///   values (a start outside the bounds or with an infinite objective only fails its chain).
    public func sample<O: ObjectiveFunction>(_ objective: O, starts: [[Double]]) throws -> MCMCResult {
        try validateSampling(objective, starts: starts, options: options)
        return runChains(objective, starts: starts, options: options) { runChain($0, objective, from: starts[$0]) }
    }

    private func runChain<O: ObjectiveFunction>(_ index: Int, _ objective: O, from start: [Double]) -> MarkovChain {
        let d = objective.parameterCount
        let lower = objective.lowerBounds, upper = objective.upperBounds
        var rng = RandomStream(seed: options.seed, index: index, purpose: "adaptive-metropolis")
        guard var logDensity = startLogDensity(objective, at: start) else { return .failed(start: start) }
        var x = start
        var adaptive = AdaptiveProposal(start: x, lower: lower, upper: upper, options: options)
        var proposal = x
        var draws: [Double] = []
        var logDensities: [Double] = []
        draws.reserveCapacity((options.iterations - options.burnIn) / options.thinning * d + d)
        var accepted = 0
        for t in 1...options.iterations {
            let inside = adaptive.propose(from: x, into: &proposal, using: &rng)
            let u = rng.nextUniform()
            if inside {
                let candidate = -objective.value(at: proposal, gradient: nil)
                if candidate.isFinite && log(u) < candidate - logDensity {
                    swap(&x, &proposal)
                    logDensity = candidate
                    accepted += 1
                }
            }
            adaptive.record(x)
            if t > options.burnIn && (t - options.burnIn) % options.thinning == 0 {
                draws += x
                logDensities.append(logDensity)
            }
        }
        return MarkovChain(start: start, draws: draws, logDensities: logDensities,
                           acceptanceRate: Double(accepted) / Double(options.iterations), isFailed: false)
    }
}
