import LinearAlgebra
import Sampling

/// The Gaussian random-walk proposal of adaptive Metropolis and its running adaptation (one per chain or
/// per tempered replica).
///
/// For the first `adaptationStart` recorded states the proposal is diagonal with standard deviations
/// `initialScale · range`; afterwards its covariance is `2.4²/d · (Cov(x₀…x_t) + ε·range²)`, with the
/// running mean and scatter updated by Welford's method and the Cholesky factor refreshed every step.
struct AdaptiveProposal {
    let lower: [Double]
    let upper: [Double]
    let options: MCMCOptions
    private let scale: Double
    private var mean: [Double]
    private var scatter: [Double]
    private var covariance: [Double]
    private var factor: [Double]
    private var delta: [Double]
    private var z: [Double]
    private var count = 1.0

    init(start: [Double], lower: [Double], upper: [Double], options: MCMCOptions) {
        let d = start.count
        self.lower = lower
        self.upper = upper
        self.options = options
        scale = 2.4 * 2.4 / Double(d)
        mean = start
        scatter = [Double](repeating: 0, count: d * d)
        covariance = scatter
        factor = scatter
        for i in 0..<d { factor[i * d + i] = options.initialScale * (upper[i] - lower[i]) }
        delta = start
        z = start
    }

    /// Writes x + L z (z standard normal) into `proposal`; returns whether it lies inside the bounds.
    mutating func propose(from x: [Double], into proposal: inout [Double], using rng: inout RandomStream) -> Bool {
        let d = x.count
        for i in 0..<d { z[i] = rng.nextNormal() }
        var inside = true
        for i in 0..<d {
            var s = x[i]
            for j in 0...i { s += factor[i * d + j] * z[j] }
            proposal[i] = s
            if s < lower[i] || s > upper[i] { inside = false }
        }
        return inside
    }

    /// Adds the chain's current state to the running moments and, once adaptation has started, refreshes
    /// the proposal factor (kept unchanged if the covariance is not numerically positive definite).
    mutating func record(_ x: [Double]) {
        let d = x.count
        count += 1
        for i in 0..<d {
            delta[i] = x[i] - mean[i]
            mean[i] += delta[i] / count
        }
        for i in 0..<d {
            for j in 0...i { scatter[i * d + j] += delta[i] * (x[j] - mean[j]) }
        }
        guard Int(count) > options.adaptationStart else { return }
        for i in 0..<d {
            for j in 0...i {
                var c = scale * scatter[i * d + j] / (count - 1)
                if i == j {
                    let range = upper[i] - lower[i]
                    c += scale * options.regularisation * range * range
                }
                covariance[i * d + j] = c
                covariance[j * d + i] = c
            }
        }
        if let l = try? CholeskyFactor(covariance, size: d) { factor = l.lower }
    }
}
