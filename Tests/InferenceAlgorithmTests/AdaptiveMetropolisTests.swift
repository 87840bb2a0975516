import Foundation
import Testing
@testable import Inference

@Suite struct AdaptiveMetropolisTests {
    // N(μ, Σ) with μ = (1, −2), Σ = [[1, 0.8], [0.8, 2]]; objective ½ (x − μ)ᵀ Σ⁻¹ (x − μ).
    // Bounds lie 20 standard deviations away, so truncation is negligible.
    let mean = [1.0, -2.0]
    let covariance = [1.0, 0.8, 0.8, 2.0]
    var gaussian: Quadratic {
        let det = covariance[0] * covariance[3] - covariance[1] * covariance[2]
        return Quadratic(mean: mean, precision: [covariance[3] / det, -covariance[1] / det,
                                                 -covariance[2] / det, covariance[0] / det],
                         lower: [-19, -30.3], upper: [21, 26.3])
    }
    let starts = [[3.0, 0.0], [-1.0, -4.0], [3.0, -4.0], [-1.0, 0.0]]

    @Test func recoversTheMeanAndCovarianceOfAGaussian() throws {
        let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: 25_000, burnIn: 5_000, seed: 42, threads: 4))
            .sample(gaussian, starts: starts)
        #expect(run.chains.allSatisfy { !$0.isFailed && $0.count == 20_000 })
        for chain in run.chains {
            // Roberts, Gelman & Gilks: the optimal random-walk rate in low dimension is ≈ 0.35.
            #expect(chain.acceptanceRate > 0.15 && chain.acceptanceRate < 0.6, "acceptance \(chain.acceptanceRate)")
        }
        let draws = run.pooledDraws
        let n = Double(draws.count)
        var m = [0.0, 0.0]
        for x in draws { for i in 0..<2 { m[i] += x[i] / n } }
        var c = [0.0, 0.0, 0.0, 0.0]
        for x in draws { for i in 0..<2 { for j in 0..<2 { c[i * 2 + j] += (x[i] - m[i]) * (x[j] - m[j]) / (n - 1) } } }
        for i in 0..<2 {
            let diagnostics = run.diagnostics[i]
            #expect(diagnostics.rankRHat < 1.01, "R-hat \(diagnostics.rankRHat)")
            #expect(diagnostics.bulkEffectiveSampleSize > 1000, "ESS \(diagnostics.bulkEffectiveSampleSize)")
            // Five Monte Carlo standard errors: sd / sqrt(ESS) for the mean.
            #expect(abs(m[i] - mean[i]) <= 5 * diagnostics.meanStandardError, "mean \(i): \(m[i])")
        }
        // Covariance entries: the standard error of a sample covariance of a Gaussian is
        // sqrt((σ_ij² + σ_ii σ_jj) / ESS); the smaller of the two parameters' ESS is used.
        let ess = min(run.diagnostics[0].bulkEffectiveSampleSize, run.diagnostics[1].bulkEffectiveSampleSize)
        for i in 0..<2 {
            for j in 0..<2 {
                let sij = covariance[i * 2 + j]
                let se = ((sij * sij + covariance[i * 3] * covariance[j * 3]) / ess).squareRoot()
                #expect(abs(c[i * 2 + j] - sij) <= 5 * se, "cov \(i)\(j): \(c[i * 2 + j]) vs \(sij) ± \(se)")
            }
        }
    }

    @Test func boundsTruncateTheTarget() throws {
        // A standard normal restricted to x ≥ 0 is half-normal: mean sqrt(2/π).
        let half = Quadratic(mean: [0], precision: [1], lower: [0], upper: [12])
        let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: 30_000, burnIn: 5_000, seed: 7, threads: 2))
            .sample(half, starts: [[0.5], [2], [0.1], [1]])
        let d = run.diagnostics[0]
        #expect(abs(d.mean - (2 / Double.pi).squareRoot()) <= 5 * d.meanStandardError, "mean \(d.mean)")
        #expect(run.pooledDraws.allSatisfy { $0[0] >= 0 })
    }

    @Test func chainsDoNotDependOnTheThreadCount() throws {
        let options = MCMCOptions(iterations: 1_500, burnIn: 500, seed: 3, threads: 1)
        var parallel = options
        parallel.threads = 3
        let a = try AdaptiveMetropolis(options: options).sample(gaussian, starts: starts)
        let b = try AdaptiveMetropolis(options: parallel).sample(gaussian, starts: starts)
        #expect(a.chains == b.chains)
        var reseeded = options
        reseeded.seed = 4
        #expect(try AdaptiveMetropolis(options: reseeded).sample(gaussian, starts: starts).chains != a.chains)
    }

    @Test func anInfeasibleStartFailsOnlyItsChain() throws {
        let problem = ShiftedSphere(centre: [0, 0], lower: [-2, -2], upper: [2, 2], feasibleSum: 1)
        let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: 600, burnIn: 100, seed: 1, threads: 2))
            .sample(problem, starts: [[1, 1], [0, 0], [-1, 0], [5, 0]])
        #expect(run.chains.map(\.isFailed) == [true, false, false, true])
        #expect(run.pooledDraws.count == 1000)
        #expect(run.pooledDraws.allSatisfy { $0[0] + $0[1] <= 1 })
    }
}
