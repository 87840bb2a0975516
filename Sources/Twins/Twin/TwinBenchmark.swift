import Foundation
import ModelLibrary
import Sampling
import Simulation

/// The twin benchmark of issue #7: for a built-in model, a synthetic patient drawn from the prior is observed 10
/// times (first clinical observable, evenly over the first half of the horizon, noise SD 10 % of the observable's
/// range), then `create` (MAP + Laplace, written to a twin file) and `forecast` (importance-weighted draws over the
/// horizon) are timed together.
public enum TwinBenchmark {
    public struct Case: Sendable {
        public var model: String
        public var horizon: Double
    }

    public struct Figure: Codable, Sendable {
        public var model: String
        public var observable: String
        public var observations: Int
        public var draws: Int
        public var createSeconds: Double
        public var forecastSeconds: Double
        public var totalSeconds: Double
        public var converged: Bool
    }

    /// Built-in models with a clinical observable and population variability, with the horizon of their
    /// published scenarios (model time units).
    public static let cases: [Case] = [
        Case(model: "baccam2006", horizon: 8), Case(model: "perelson1996", horizon: 7), Case(model: "goyal2020", horizon: 30),
        Case(model: "reynolds2006", horizon: 200), Case(model: "crauste2017", horizon: 28), Case(model: "depillis2006", horizon: 100),
        Case(model: "kirschner_panetta1998", horizon: 300),
    ]

    public static func run(_ c: Case, directory: URL, draws: Int = 400, seed: UInt64 = 1, threads: Int = 1,
                           programVersion: String) throws -> Figure {
        var prior = try TwinPrior.fromLibrary(c.model)
        let entry = try ModelLibrary.entry(named: c.model)
        guard let observable = entry.observables.first(where: \.isClinical)?.id else {
            throw TwinError.invalidPrior("\(c.model) has no clinical observable")
        }
        let model0 = try PatientModel(prior: prior)
        let column = model0.observables.firstIndex(of: observable)!
        var rng = RandomStream(seed: seed, index: 0, purpose: "benchmark-truth")
        let truth = prior.parameters.map { $0.mean + $0.sd * rng.nextNormal() }
        let times = (1...10).map { c.horizon / 2 * Double($0) / 10 }
        let run = try model0.problem(at: truth, times: times).solve(SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12))
        guard run.status.isSuccess else { throw TwinError.fitFailed("\(c.model): the synthetic truth fails to simulate (\(run.status))") }
        let values = times.indices.map { run[$0, column] }
        let sd = max(0.1 * ((values.max() ?? 1) - (values.min() ?? 0)), 1e-6)
        prior.errors = [ErrorModel(observable: observable, sd: sd)]
        var noise = RandomStream(seed: seed, index: 0, purpose: "benchmark-noise")
        let data = times.indices.map { PatientObservation(time: times[$0], observable: observable, value: values[$0] + sd * noise.nextNormal(), source: "benchmark") }
        let path = directory.appendingPathComponent("\(c.model).twin").path
        let clock = ContinuousClock()
        let t0 = clock.now
        let posterior = try PatientTwin.create(path: path, prior: prior, observations: data, programVersion: programVersion)
        let t1 = clock.now
        let model = try PatientModel(prior: prior)
        _ = try Forecast.make(model: model, posterior: posterior, objective: try TwinObjective(model: model, observations: data),
                              horizon: c.horizon, draws: draws, seed: seed, threads: threads)
        let t2 = clock.now
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        return Figure(model: c.model, observable: observable, observations: data.count, draws: draws,
                      createSeconds: seconds(t1 - t0), forecastSeconds: seconds(t2 - t1), totalSeconds: seconds(t2 - t0),
                      converged: posterior.converged)
    }
}
