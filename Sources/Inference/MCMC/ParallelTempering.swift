import Foundation
import Sampling

/// Parallel tempering (replica exchange) with an adaptive Metropolis move in every replica, for
/// multimodal posteriors that trap a single random-walk chain.
///
/// Each chain runs replicas at inverse temperatures β₀ = 1 > β₁ > … > 0, replica k targeting
/// exp(−β_k · objective) on the bounds. Every iteration each replica makes one adaptive Metropolis step (its
/// own ``MCMCOptions``-driven proposal adaptation), then neighbouring replicas (hottest pair first) swap
/// states with probability min(1, exp((β_k − β_{k+1})(ℓ_{k+1} − ℓ_k))), ℓ = −objective. Only the β = 1
/// replica's states are kept. Chain c draws from `RandomStream(seed:index: c, purpose: "parallel-tempering")`,
/// so results do not depend on the thread count (Earl & Deem, Phys. Chem. Chem. Phys. 7, 2005,
/// doi:10.1039/B509983H).
///
/// - Complexity: one objective evaluation per replica per iteration.
public struct ParallelTempering: Sendable {
    public var options: MCMCOptions
    /// Inverse temperatures, starting at 1 and decreasing (default 1, 1/4, 1/16, 1/64).
    public var inverseTemperatures: [Double]

    public init(options: MCMCOptions = .init(), inverseTemperatures: [Double] = [1, 0.25, 0.0625, 0.015625]) {
        self.options = options
        self.inverseTemperatures = inverseTemperatures
    }

    /// Runs one tempered chain per start point (all of a chain's replicas start there); the result holds
    /// the β = 1 replicas' draws, its acceptance rates and, per chain, the swap acceptance rate of each
    /// neighbouring pair.
    /// - Throws: `InferenceInputError` for invalid options, temperatures or bounds, or a start with the wrong
    ///   number of values.
    public func sample<O: ObjectiveFunction>(_ objective: O, starts: [[Double]]) throws -> MCMCResult {
        try require(inverseTemperatures.first == 1, "ParallelTempering.inverseTemperatures", "must start at 1")
        try require(zip(inverseTemperatures, inverseTemperatures.dropFirst()).allSatisfy { $0 > $1 && $1 > 0 },
                    "ParallelTempering.inverseTemperatures", "must decrease and stay positive, got \(inverseTemperatures)")
        try validateSampling(objective, starts: starts, options: options)
        return runChains(objective, starts: starts, options: options) { runChain($0, objective, from: starts[$0]) }
    }

    private func runChain<O: ObjectiveFunction>(_ index: Int, _ objective: O, from start: [Double]) -> MarkovChain {
        let d = objective.parameterCount, replicas = inverseTemperatures.count
        let lower = objective.lowerBounds, upper = objective.upperBounds
        var rng = RandomStream(seed: options.seed, index: index, purpose: "parallel-tempering")
        guard let startDensity = startLogDensity(objective, at: start) else { return .failed(start: start) }
        var states = [[Double]](repeating: start, count: replicas)
        var densities = [Double](repeating: startDensity, count: replicas)
        var proposals = (0..<replicas).map { _ in
            AdaptiveProposal(start: start, lower: lower, upper: upper, options: options)
        }
        var proposal = start
        var draws: [Double] = []
        var logDensities: [Double] = []
        draws.reserveCapacity((options.iterations - options.burnIn) / options.thinning * d + d)
        var accepted = 0
        var swaps = [Int](repeating: 0, count: max(replicas - 1, 0))
        for t in 1...options.iterations {
            for k in 0..<replicas {
                let inside = proposals[k].propose(from: states[k], into: &proposal, using: &rng)
                let u = rng.nextUniform()
                guard inside else { continue }
                let candidate = -objective.value(at: proposal, gradient: nil)
                if candidate.isFinite && log(u) < inverseTemperatures[k] * (candidate - densities[k]) {
                    swap(&states[k], &proposal)
                    densities[k] = candidate
                    if k == 0 { accepted += 1 }
                }
            }
            for k in stride(from: replicas - 2, through: 0, by: -1) {
                let logRatio = (inverseTemperatures[k] - inverseTemperatures[k + 1]) * (densities[k + 1] - densities[k])
                if log(rng.nextUniform()) < logRatio {
                    states.swapAt(k, k + 1)
                    densities.swapAt(k, k + 1)
                    swaps[k] += 1
                }
            }
            for k in 0..<replicas { proposals[k].record(states[k]) }
            if t > options.burnIn && (t - options.burnIn) % options.thinning == 0 {
                draws += states[0]
                logDensities.append(densities[0])
            }
        }
        return MarkovChain(start: start, draws: draws, logDensities: logDensities,
                           acceptanceRate: Double(accepted) / Double(options.iterations), isFailed: false,
                           swapRates: swaps.map { Double($0) / Double(options.iterations) })
    }
}
