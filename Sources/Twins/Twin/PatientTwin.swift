import Foundation
import ModelLibrary
import Simulation

/// The patient-twin workflow over a twin file: create from data, assimilate new data, and read back.
///
/// **Update method.** The posterior after observations y₁…y_k is p(θ | y₁…y_k) ∝ p(θ) Πᵢ p(yᵢ | θ); each update
/// recomputes its Laplace approximation from the population prior and *all* observations, warm-started from the
/// previous mode. This is the exact sequential Bayesian update (no information is lost by summarising earlier
/// data in a Gaussian, which a Kalman-style update of the previous Laplace posterior would do for a non-linear
/// model), at the cost of re-simulating earlier observation times — negligible for tens of observations.
public enum PatientTwin {
    /// Fits the prior and observations and writes a new twin file at `path`.
    /// With `mcmc`, the posterior is also sampled by adaptive Metropolis and the samples are stored (forecasts
    /// and rankings then use them instead of the importance-weighted Laplace draws).
    public static func create(path: String, prior: TwinPrior, observations: [PatientObservation], mcmc: MCMCRequest? = nil,
                              programVersion: String) throws -> LaplacePosterior {
        let model = try PatientModel(prior: prior)
        let objective = try TwinObjective(model: model, observations: observations)
        let posterior = try IndividualFit.map(objective)
        let samples = try mcmc.map { try TwinMCMC.sample(objective: objective, posterior: posterior, chains: $0.chains,
                                                         iterations: $0.iterations, seed: $0.seed, threads: $0.threads) }
        let changes = describe(before: nil, after: posterior, model: model) + (samples?.describe(names: objective.parameterNames) ?? [])
        _ = try TwinStore.create(path: path, prior: prior, modelSource: try ModelLibrary.antimonySource(named: prior.model),
                                 modelHash: model.compiled.modelHash, observations: observations, posterior: posterior,
                                 mcmc: samples, changes: changes, programVersion: programVersion)
        return posterior
    }

    /// What `--mcmc` asks for.
    public struct MCMCRequest: Sendable {
        public var chains: Int
        public var iterations: Int
        public var seed: UInt64
        public var threads: Int
        public init(chains: Int = 4, iterations: Int = 4000, seed: UInt64 = 1, threads: Int = 1) {
            self.chains = chains
            self.iterations = iterations
            self.seed = seed
            self.threads = threads
        }
    }

    /// The posterior sample forecasts and rankings use: the stored MCMC draws of the latest update when present,
    /// otherwise `draws` importance-weighted Laplace draws.
    public static func posteriorSample(store: TwinStore, model: PatientModel, draws: Int, seed: UInt64) throws -> PosteriorSample {
        if let samples = try store.latestSamples() { return samples.sample }
        let objective = try TwinObjective(model: model, observations: try store.observations())
        return try store.posterior().importanceSample(objective: objective, count: draws, seed: seed)
    }

    /// Adds `observations` to the twin at `path` and refits (warm start). Returns the posteriors before and after
    /// and the recorded description of the change. Nothing is written if the fit fails.
    public static func observe(path: String, observations new: [PatientObservation], mcmc: MCMCRequest? = nil,
                               programVersion: String) throws
        -> (before: LaplacePosterior, after: LaplacePosterior, changes: [String]) {
        let store = try TwinStore.open(path: path)
        let prior = try store.prior()
        let model = try PatientModel(prior: prior)
        let before = try store.posterior()
        let all = try store.observations() + new
        let objective = try TwinObjective(model: model, observations: all)
        let after = try IndividualFit.map(objective, start: before.mode)
        let samples = try mcmc.map { try TwinMCMC.sample(objective: objective, posterior: after, chains: $0.chains,
                                                         iterations: $0.iterations, seed: $0.seed, threads: $0.threads) }
        let changes = ["added \(new.count) observation(s); \(all.count) in all"] + describe(before: before, after: after, model: model)
            + (samples?.describe(names: objective.parameterNames) ?? [])
        try store.recordUpdate(observations: new, posterior: after, mcmc: samples, changes: changes, programVersion: programVersion)
        return (before, after, changes)
    }

    /// One line per parameter: posterior median (model scale) and 90 % interval, before → after.
    static func describe(before: LaplacePosterior?, after: LaplacePosterior, model: PatientModel) -> [String] {
        func summary(_ p: LaplacePosterior, _ i: Int) -> String {
            let spec = model.prior.parameters[i], sd = p.standardDeviations[i]
            let lo = spec.modelValue(p.mode[i] - 1.6448536269514722 * sd), hi = spec.modelValue(p.mode[i] + 1.6448536269514722 * sd)
            return "\(format(spec.modelValue(p.mode[i]))) [\(format(lo)), \(format(hi))]"
        }
        return model.prior.parameters.indices.map { i in
            let id = model.prior.parameters[i].id
            if let before { return "\(id): \(summary(before, i)) → \(summary(after, i))" }
            return "\(id): \(summary(after, i))"
        }
    }

    static func format(_ x: Double) -> String { String(format: "%.4g", x) }
}
