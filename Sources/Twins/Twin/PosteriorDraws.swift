import Foundation
import LinearAlgebra
import Sampling

/// Weighted draws from a twin's posterior, on the prior's scales.
public struct PosteriorSample: Sendable {
    public var thetas: [[Double]]
    /// Normalised importance weights (sum 1); equal weights for plain Laplace draws.
    public var weights: [Double]
    /// Kish's effective sample size (Σw)²/Σw² — equal to the draw count for equal weights.
    public var effectiveSize: Double {
        1 / weights.reduce(0) { $0 + $1 * $1 }
    }
}

extension LaplacePosterior {
    /// `count` reproducible draws from the Laplace posterior N(mode, Σ) on the scales: draw k uses the stream
    /// keyed by (seed, k, "posterior"), so any subset of draws can be recomputed independently.
    public func draws(count: Int, seed: UInt64) -> [[Double]] {
        proposals(count: count, seed: seed, inflation: 1).map(\.theta)
    }

    /// Draws `mode + inflation · L z` with their standard-normal z (L: Cholesky factor of Σ).
    func proposals(count: Int, seed: UInt64, inflation: Double) -> [(theta: [Double], z: [Double])] {
        let n = mode.count
        guard let chol = try? CholeskyFactor(covariance, size: n) else { return Array(repeating: (mode, [Double](repeating: 0, count: n)), count: count) }
        return (0..<count).map { k in
            var rng = RandomStream(seed: seed, index: k, purpose: "posterior")
            let z = (0..<n).map { _ in rng.nextNormal() }
            let d = chol.lowerTimes(z)
            return ((0..<n).map { mode[$0] + inflation * d[$0] }, z)
        }
    }

    /// Importance sampling of the exact posterior with the Laplace approximation as proposal: draws from
    /// N(mode, inflation²·Σ) (inflated so that the proposal's tails cover the posterior's), each weighted by
    /// exp(−objective(θ)) / q(θ). This corrects the Laplace approximation's skew and curvature errors (e.g. for
    /// the nearly non-identifiable pairs of viral-dynamics models), so forecast intervals are calibrated.
    /// Draws whose objective cannot be evaluated get weight 0.
    public func importanceSample(objective: TwinObjective, count: Int, seed: UInt64, inflation: Double = 1.5) -> PosteriorSample {
        let drawn = proposals(count: count, seed: seed, inflation: inflation)
        let objective = objective.with(options: objective.model.drawOptions(at: mode, horizon: objective.lastObservationTime))
        // log w = −f(θ) − log q(θ) = −f(θ) + ½|z|² + const
        let logWeights = drawn.map { d -> Double in
            let f = objective.value(at: d.theta, gradient: nil)
            return f.isFinite ? -f + 0.5 * d.z.reduce(0) { $0 + $1 * $1 } : -.infinity
        }
        let top = logWeights.max() ?? 0
        guard top.isFinite else {
            return PosteriorSample(thetas: drawn.map(\.theta), weights: Array(repeating: 1 / Double(count), count: count))
        }
        let raw = logWeights.map { exp($0 - top) }
        let total = raw.reduce(0, +)
        return PosteriorSample(thetas: drawn.map(\.theta), weights: raw.map { $0 / total })
    }
}

/// The q-quantile of values with weights (normalised or not): the smallest value whose cumulative weight
/// reaches q of the total, interpolating linearly between neighbouring order statistics' cumulative midpoints.
func weightedQuantile(_ pairs: [(value: Double, weight: Double)], _ q: Double) -> Double {
    let sorted = pairs.filter { $0.weight > 0 }.sorted { $0.value < $1.value }
    guard let first = sorted.first else { return .nan }
    let total = sorted.reduce(0) { $0 + $1.weight }
    var cumulative = 0.0
    var previous: (position: Double, value: Double) = (0, first.value)
    for item in sorted {
        let position = (cumulative + item.weight / 2) / total
        if position >= q {
            guard position > previous.position else { return item.value }
            let f = (q - previous.position) / (position - previous.position)
            return previous.value + max(0, min(1, f)) * (item.value - previous.value)
        }
        cumulative += item.weight
        previous = (position, item.value)
    }
    return sorted.last!.value
}
