import Sampling

extension LaplacePosterior {
    /// `count` reproducible draws from the Laplace posterior N(mode, Σ) on the scales: draw k uses the stream
    /// keyed by (seed, k, "posterior"), so any subset of draws can be recomputed independently.
    public func draws(count: Int, seed: UInt64) -> [[Double]] {
        let n = mode.count
        guard let chol = Cholesky(covariance, n: n) else { return Array(repeating: mode, count: count) }
        return (0..<count).map { k in
            var rng = RandomStream(seed: seed, index: k, purpose: "posterior")
            let z = (0..<n).map { _ in rng.nextNormal() }
            let d = chol.multiply(z)
            return (0..<n).map { mode[$0] + d[$0] }
        }
    }
}
