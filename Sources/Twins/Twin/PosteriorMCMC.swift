import Foundation
import Inference

/// Posterior samples of a twin's individual parameters by adaptive Metropolis (the Inference module's sampler),
/// on request, when the Laplace approximation is not trusted (strongly non-Gaussian or multimodal posteriors).
public struct TwinMCMC: Codable, Sendable, Equatable {
    /// Kept draws on the prior's scales, pooled over chains.
    public var draws: [[Double]]
    /// Per parameter: bulk effective sample size and rank-normalised split R̂ (Vehtari et al. 2021).
    public var effectiveSampleSizes: [Double]
    public var rHats: [Double]
    public var chains: Int
    public var iterations: Int
    public var seed: UInt64

    /// Runs `chains` chains of `iterations` (a quarter as burn-in), started from the MAP and Laplace draws around
    /// it, keeping at most `keep` draws in all (thinned evenly). Simulations use `PatientModel.drawOptions(at:horizon:)`.
    public static func sample(objective: TwinObjective, posterior: LaplacePosterior, chains: Int = 4, iterations: Int = 4000,
                              keep: Int = 1000, seed: UInt64, threads: Int = 1) throws -> TwinMCMC {
        guard chains >= 2, iterations >= 100 else { throw TwinError.fitFailed("MCMC needs at least 2 chains of 100 iterations") }
        let burnIn = iterations / 4
        let thinning = max(1, (iterations - burnIn) * chains / max(keep, 1))
        let starts = [posterior.mode] + posterior.draws(count: chains - 1, seed: seed ^ 0x5EED)
        let options = MCMCOptions(iterations: iterations, burnIn: burnIn, thinning: thinning, seed: seed, threads: threads,
                                  initialScale: 0.02)
        let run: MCMCResult
        do {
            let simulation = objective.model.drawOptions(at: posterior.mode, horizon: objective.lastObservationTime)
            run = try AdaptiveMetropolis(options: options).sample(objective.with(options: simulation), starts: starts)
        } catch {
            throw TwinError.fitFailed("MCMC: \(error)")
        }
        let draws = run.pooledDraws
        guard !draws.isEmpty else { throw TwinError.fitFailed("MCMC: every chain failed") }
        return TwinMCMC(draws: draws, effectiveSampleSizes: run.diagnostics.map(\.bulkEffectiveSampleSize),
                        rHats: run.diagnostics.map(\.rankRHat), chains: chains, iterations: iterations, seed: seed)
    }

    /// The draws as an equally weighted posterior sample.
    public var sample: PosteriorSample {
        PosteriorSample(thetas: draws, weights: Array(repeating: 1 / Double(draws.count), count: draws.count))
    }

    /// One line per parameter with its ESS and R̂ (R̂ > 1.01 means the chains disagree: run longer).
    public func describe(names: [String]) -> [String] {
        names.indices.map { "\(names[$0]): MCMC ESS \(Int(effectiveSampleSizes[$0].rounded())), R-hat \(String(format: "%.3f", rHats[$0]))" }
    }
}
