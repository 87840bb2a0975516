import Foundation
import Statistics
import Sampling

/// Convergence diagnostics of MCMC chains, following Vehtari, Gelman, Simpson, Carpenter & Bürkner,
/// "Rank-normalization, folding, and localization: an improved R̂" (Bayesian Analysis 16, 2021,
/// doi:10.1214/20-BA1221) exactly as ArviZ 0.23 computes them, so that figures agree with arviz to
/// rounding.
///
/// Every function takes `chains[c][i]`: draw i of chain c for one scalar quantity; all chains must have the
/// same length. Results are NaN when there are too few draws (fewer than 4 per chain) or non-finite draws.
///
/// ```swift
/// let ess = ChainDiagnostics.bulkEffectiveSampleSize(chains)   // arviz.ess(..., method="bulk")
/// let rhat = ChainDiagnostics.rankRHat(chains)                  // arviz.rhat(..., method="rank")
/// ```
public enum ChainDiagnostics {
    /// Bulk effective sample size: Geyer's initial monotone sequence estimator on the rank-normalised split
    /// chains (arviz `ess(method="bulk")`, Stan's `ess_bulk`).
    public static func bulkEffectiveSampleSize(_ chains: [[Double]]) -> Double {
        guard isValid(chains, minimumChains: 1) else { return .nan }
        return effectiveSampleSize(rankNormalised(splitChains(chains)))
    }

    /// Effective sample size of the mean: the same estimator on the split chains without rank
    /// normalisation (arviz `ess(method="mean")`).
    public static func meanEffectiveSampleSize(_ chains: [[Double]]) -> Double {
        guard isValid(chains, minimumChains: 1) else { return .nan }
        return effectiveSampleSize(splitChains(chains))
    }

    /// Rank-normalised split R̂: the larger of the bulk and the folded (tail) R̂ (arviz `rhat(method="rank")`).
    /// Values below 1.01 indicate that the chains mix (the paper's recommendation).
    public static func rankRHat(_ chains: [[Double]]) -> Double {
        guard isValid(chains, minimumChains: 2) else { return .nan }
        let split = splitChains(chains)
        let flat = split.flatMap { $0 }.sorted()
        let median = Summary.quantile(sorted: flat, 0.5)
        let folded = split.map { $0.map { abs($0 - median) } }
        return max(rHat(rankNormalised(split)), rHat(rankNormalised(folded)))
    }

    /// Classic split R̂ (Gelman–Rubin on the chains cut in halves; arviz `rhat(method="split")`).
    public static func splitRHat(_ chains: [[Double]]) -> Double {
        guard isValid(chains, minimumChains: 2) else { return .nan }
        return rHat(splitChains(chains))
    }

    /// Monte Carlo standard error of the mean: sample standard deviation / sqrt(mean ESS).
    public static func meanStandardError(_ chains: [[Double]]) -> Double {
        let all = chains.flatMap { $0 }
        return Summary(all).standardDeviation / meanEffectiveSampleSize(chains).squareRoot()
    }

    // MARK: Building blocks (arviz `_split_chains`, `_z_scale`, `_rhat`, `_ess`)

    /// Each chain cut into its first and last ⌊n/2⌋ draws (the middle draw of an odd-length chain is dropped).
    static func splitChains(_ chains: [[Double]]) -> [[Double]] {
        let half = chains[0].count / 2
        return chains.map { Array($0.prefix(half)) } + chains.map { Array($0.suffix(half)) }
    }

    /// Ranks over all draws (ties get their average rank), mapped to normal scores
    /// Φ⁻¹((r − 3/8) / (N + 1/4)) (Blom 1958).
    static func rankNormalised(_ chains: [[Double]]) -> [[Double]] {
        let length = chains[0].count
        let flat = chains.flatMap { $0 }
        let order = flat.indices.sorted { flat[$0] < flat[$1] }
        var ranks = [Double](repeating: 0, count: flat.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && flat[order[end + 1]] == flat[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for k in start...end { ranks[order[k]] = average }
            start = end + 1
        }
        let size = Double(flat.count)
        return chains.indices.map { c in
            (0..<length).map { StandardNormal.quantile((ranks[c * length + $0] - 0.375) / (size + 0.25)) }
        }
    }

    /// Gelman–Rubin R̂ of the given chains (not split).
    static func rHat(_ chains: [[Double]]) -> Double {
        let n = Double(chains[0].count)
        let means = chains.map { $0.reduce(0, +) / n }
        let variances = chains.indices.map { c in
            chains[c].reduce(0) { $0 + ($1 - means[c]) * ($1 - means[c]) } / (n - 1)
        }
        let between = n * sampleVariance(means)
        let within = variances.reduce(0, +) / Double(variances.count)
        return ((between / within + n - 1) / n).squareRoot()
    }

    /// Geyer's initial monotone sequence estimate of the effective sample size of the given chains.
    static func effectiveSampleSize(_ chains: [[Double]]) -> Double {
        let all = chains.flatMap { $0 }
        guard let lo = all.min(), let hi = all.max() else { return .nan }
        if hi - lo < 1e-15 { return Double(all.count) }
        let m = chains.count, n = chains[0].count
        let nd = Double(n)
        let means = chains.map { $0.reduce(0, +) / nd }
        // Mean over chains of the biased autocovariance at lag t, computed only for the lags needed.
        func meanAutocovariance(_ t: Int) -> Double {
            var total = 0.0
            for c in 0..<m {
                let x = chains[c], mean = means[c]
                var s = 0.0
                for i in 0..<(n - t) { s += (x[i] - mean) * (x[i + t] - mean) }
                total += s / nd
            }
            return total / Double(m)
        }
        let meanVariance = meanAutocovariance(0) * nd / (nd - 1)
        var varPlus = meanVariance * (nd - 1) / nd
        if m > 1 { varPlus += sampleVariance(means) }
        var rho = [Double](repeating: 0, count: n)
        var even = 1.0
        rho[0] = even
        var odd = 1 - (meanVariance - meanAutocovariance(1)) / varPlus
        rho[1] = odd
        var t = 1
        while t < n - 3 && even + odd > 0 {
            even = 1 - (meanVariance - meanAutocovariance(t + 1)) / varPlus
            odd = 1 - (meanVariance - meanAutocovariance(t + 2)) / varPlus
            if even + odd >= 0 {
                rho[t + 1] = even
                rho[t + 2] = odd
            }
            t += 2
        }
        let maxT = t - 2
        if even > 0 { rho[maxT + 1] = even }
        t = 1
        while t <= maxT - 2 {
            if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t] {
                rho[t + 1] = (rho[t - 1] + rho[t]) / 2
                rho[t + 2] = rho[t + 1]
            }
            t += 2
        }
        let total = Double(m * n)
        var tau = -1.0
        for k in stride(from: 0, through: maxT, by: 1) { tau += 2 * rho[k] }
        if maxT + 1 < n { tau += rho[maxT + 1] }
        tau = max(tau, 1 / log10(total))
        return rho.contains(where: \.isNaN) ? .nan : total / tau
    }

    private static func sampleVariance(_ values: [Double]) -> Double {
        let mean = values.reduce(0, +) / Double(values.count)
        return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }

    private static func isValid(_ chains: [[Double]], minimumChains: Int) -> Bool {
        guard chains.count >= minimumChains, let n = chains.first?.count, n >= 4 else { return false }
        return chains.allSatisfy { $0.count == n && $0.allSatisfy(\.isFinite) }
    }
}
