import Foundation
import Sampling
import Simulation
import Statistics

/// A forecast of every observable of a twin: posterior quantiles over a time grid.
///
/// `latent` bands are those of the model prediction h(θ) under the posterior (what the truth should lie in);
/// `predictive` bands add the observation noise of the error model (what a new measurement should lie in).
/// Quantile levels are 0.05, 0.25, 0.5, 0.75, 0.95: the 50 % and 90 % intervals and the median.
public struct Forecast: Codable, Sendable {
    public static let levels = [0.05, 0.25, 0.5, 0.75, 0.95]
    public var times: [Double]
    public var observables: [String]
    /// latent[observable][level][time]
    public var latent: [[[Double]]]
    /// predictive[observable][level][time] (equal to latent for observables without an error model)
    public var predictive: [[[Double]]]
    public var draws: Int
    /// Draws whose simulation failed (excluded from the quantiles), by status code.
    public var failed: [String: Int]
    public var regimen: String?

    /// CSV in long format: `time,observable,kind,q05,q25,q50,q75,q95` (kind is latent or predictive).
    public func csv() -> String {
        var out = "time,observable,kind,q05,q25,q50,q75,q95\n"
        for (o, name) in observables.enumerated() {
            for (kind, bands) in [("latent", latent[o]), ("predictive", predictive[o])] {
                for (t, time) in times.enumerated() {
                    out += "\(time),\(name),\(kind)," + Forecast.levels.indices.map { "\(bands[$0][t])" }.joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }
}

extension Forecast {
    /// Simulates the weighted posterior sample from the model's start to `horizon` on `points` evenly spaced times
    /// (or at `evaluationTimes`), with the regimen's doses, and takes weighted quantiles per time.
    public static func make(model: PatientModel, sample: PosteriorSample, horizon: Double, points: Int = 101, seed: UInt64,
                            regimen: Regimen? = nil, threads: Int = 1, evaluationTimes: [Double]? = nil) throws -> Forecast {
        guard horizon > 0, horizon.isFinite else { throw TwinError.invalidData("horizon must be positive, got \(horizon)") }
        let thetas = sample.thetas
        let times = evaluationTimes ?? SimulationProblem.grid(from: 0, to: horizon, points: max(points, 2))
        let nObs = model.observables.count
        let results = try model.simulate(thetas, times: times, regimen: regimen, pilot: weightedMean(sample), threads: threads) {
            _, r in (r.status, r.values)
        }
        var failed: [String: Int] = [:]
        var ok: [(index: Int, values: [Double], weight: Double)] = []
        for (k, r) in results.enumerated() {
            if r.0.isSuccess && r.1.allSatisfy(\.isFinite) {
                ok.append((k, r.1, sample.weights[k]))
            } else {
                failed[r.0.isSuccess ? "non_finite" : r.0.code, default: 0] += 1
            }
        }
        var latent = [[[Double]]](), predictive = [[[Double]]]()
        for o in 0..<nObs {
            let sd = model.prior.errorSD(for: model.observables[o])
            var lat = [[Double]](repeating: [Double](repeating: .nan, count: times.count), count: levels.count)
            var pred = lat
            for t in times.indices {
                let values = ok.map { (value: $0.values[t * nObs + o], weight: $0.weight) }
                var noisy = values
                if let sd {
                    // noise keyed by (seed, draw, time, observable): reproducible for any thread count
                    noisy = ok.map { item in
                        var rng = RandomStream(seed: seed, index: (item.index * 1_000_003 + t) * 131 + o, purpose: "forecast-noise")
                        return (value: item.values[t * nObs + o] + sd * rng.nextNormal(), weight: item.weight)
                    }
                }
                for (q, level) in levels.enumerated() {
                    lat[q][t] = weightedQuantile(values, level)
                    pred[q][t] = weightedQuantile(noisy, level)
                }
            }
            latent.append(lat)
            predictive.append(pred)
        }
        return Forecast(times: times, observables: model.observables, latent: latent, predictive: predictive,
                        draws: thetas.count, failed: failed, regimen: regimen?.name)
    }

    /// Forecast from a Laplace posterior: plain draws, or — when `objective` is given — importance-weighted
    /// draws that correct the Laplace approximation (see `LaplacePosterior.importanceSample`).
    public static func make(model: PatientModel, posterior: LaplacePosterior, objective: TwinObjective? = nil,
                            horizon: Double, points: Int = 101, draws: Int = 400, seed: UInt64, regimen: Regimen? = nil,
                            threads: Int = 1, evaluationTimes: [Double]? = nil) throws -> Forecast {
        let sample = objective.map { posterior.importanceSample(objective: $0, count: draws, seed: seed) }
            ?? PosteriorSample(thetas: posterior.draws(count: draws, seed: seed),
                               weights: Array(repeating: 1 / Double(draws), count: draws))
        return try make(model: model, sample: sample, horizon: horizon, points: points, seed: seed, regimen: regimen,
                        threads: threads, evaluationTimes: evaluationTimes)
    }
}

/// The weighted mean of a posterior sample (the point of the solver pilot run).
func weightedMean(_ sample: PosteriorSample) -> [Double] {
    guard let first = sample.thetas.first else { return [] }
    var mean = [Double](repeating: 0, count: first.count)
    for (k, theta) in sample.thetas.enumerated() {
        for i in theta.indices { mean[i] += sample.weights[k] * theta[i] }
    }
    return mean
}
