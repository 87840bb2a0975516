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
    /// Simulates `draws` posterior draws (Laplace, or the given samples) from the model's start to `horizon` on
    /// `points` evenly spaced times, with the regimen's doses, and takes quantiles per time.
    public static func make(model: PatientModel, posterior: LaplacePosterior, samples: [[Double]]? = nil,
                            horizon: Double, points: Int = 101, draws: Int = 400, seed: UInt64,
                            regimen: Regimen? = nil, threads: Int = 1) throws -> Forecast {
        guard horizon > 0, horizon.isFinite else { throw TwinError.invalidData("horizon must be positive, got \(horizon)") }
        let thetas = samples ?? posterior.draws(count: draws, seed: seed)
        let times = SimulationProblem.grid(from: 0, to: horizon, points: max(points, 2))
        let doses = try regimen?.doses(for: model) ?? []
        let template = model.problem(at: posterior.mode, times: times, doses: doses)
        let nObs = model.observables.count
        let options = SolverOptions(relativeTolerance: 1e-8, absoluteTolerance: 1e-10)
        let results = Ensemble.run(template: template, count: thetas.count, threads: threads, options: options,
                                   configure: { k, p in
            for (i, slot) in model.parameterSlots.enumerated() { p.inputs[slot] = model.prior.parameters[i].modelValue(thetas[k][i]) }
            if let regimen { try regimen.applySettings(to: &p) }
        }, reduce: { _, r in (r.status, r.values) })
        var failed: [String: Int] = [:]
        var latent = [[[Double]]](), predictive = [[[Double]]]()
        let ok = results.enumerated().filter { $0.element.0.isSuccess && $0.element.1.allSatisfy(\.isFinite) }
        for (_, r) in results.enumerated() where !(r.0.isSuccess && r.1.allSatisfy(\.isFinite)) {
            failed[r.0.isSuccess ? "non_finite" : r.0.code, default: 0] += 1
        }
        for o in 0..<nObs {
            let sd = model.prior.errorSD(for: model.observables[o])
            var lat = [[Double]](repeating: [Double](repeating: .nan, count: times.count), count: levels.count)
            var pred = lat
            for t in times.indices {
                var values = ok.map { $0.element.1[t * nObs + o] }
                var noisy = values
                if let sd {
                    // noise keyed by (seed, draw, "noise"/observable/time): reproducible for any thread count
                    noisy = ok.map { item in
                        var rng = RandomStream(seed: seed, index: item.offset * 1_000_003 + t * 131 + o, purpose: "forecast-noise")
                        return item.element.1[t * nObs + o] + sd * rng.nextNormal()
                    }
                }
                values.sort()
                noisy.sort()
                for (q, level) in levels.enumerated() {
                    lat[q][t] = Summary.quantile(sorted: values, level)
                    pred[q][t] = Summary.quantile(sorted: noisy, level)
                }
            }
            latent.append(lat)
            predictive.append(pred)
        }
        return Forecast(times: times, observables: model.observables, latent: latent, predictive: predictive,
                        draws: thetas.count, failed: failed, regimen: regimen?.name)
    }
}
