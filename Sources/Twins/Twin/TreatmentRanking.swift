import Foundation
import Simulation
import Statistics

/// What a regimen is judged by, computed from one simulated trajectory of an observable over [0, horizon].
public struct OutcomeMeasure: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// Area under the curve (trapezoid on the output grid).
        case auc
        /// Maximum value.
        case peak
        /// Value at the horizon.
        case final
        /// Total time the observable spends above `threshold` (e.g. days of shedding above detection).
        case timeAbove = "time_above"
    }
    public var kind: Kind
    public var observable: String
    public var threshold: Double?
    /// True to prefer larger values (default: smaller is better).
    public var maximize: Bool

    /// Parses `[max:]KIND:OBSERVABLE[:THRESHOLD]`, e.g. `auc:log10_viral_load`, `time_above:log10_viral_load:2`,
    /// `max:final:target_fraction`.
    public init(parsing text: String) throws {
        var parts = text.split(separator: ":").map(String.init)
        maximize = parts.first == "max"
        if maximize || parts.first == "min" { parts.removeFirst() }
        guard parts.count >= 2, let kind = Kind(rawValue: parts[0]) else {
            throw TwinError.invalidRegimen("objective '\(text)': expected [max:]auc|peak|final|time_above:OBSERVABLE[:THRESHOLD]")
        }
        self.kind = kind
        observable = parts[1]
        if kind == .timeAbove {
            guard parts.count == 3, let t = Double(parts[2]), t.isFinite else {
                throw TwinError.invalidRegimen("objective '\(text)': time_above needs a numeric threshold")
            }
            threshold = t
        } else {
            guard parts.count == 2 else { throw TwinError.invalidRegimen("objective '\(text)': unexpected ':\(parts[2])'") }
            threshold = nil
        }
    }

    public var description: String {
        (maximize ? "max:" : "") + kind.rawValue + ":" + observable + (threshold.map { ":\($0)" } ?? "")
    }

    /// The measure of a trajectory `y` at `times`.
    public func evaluate(times: [Double], values y: [Double]) -> Double {
        switch kind {
        case .auc:
            var area = 0.0
            for k in 1..<min(times.count, y.count) { area += (times[k] - times[k - 1]) * (y[k] + y[k - 1]) / 2 }
            return area
        case .peak: return y.max() ?? .nan
        case .final: return y.last ?? .nan
        case .timeAbove:
            let c = threshold!
            var total = 0.0
            for k in 1..<times.count {
                let (a, b, dt) = (y[k - 1] - c, y[k] - c, times[k] - times[k - 1])
                if a > 0 && b > 0 { total += dt } else if a > 0 || b > 0 {
                    total += dt * max(a, b) / (abs(a) + abs(b))   // linear crossing inside the interval
                }
            }
            return total
        }
    }
}

/// One regimen's place in a ranking.
public struct RankedRegimen: Codable, Sendable {
    public var regimen: Regimen
    /// Posterior mean, median and 90 % interval of the outcome.
    public var mean: Double
    public var median: Double
    public var lower90: Double
    public var upper90: Double
    /// The fraction of posterior draws in which this regimen has the best outcome (ties share).
    public var probabilityBest: Double
    /// Draws whose simulation failed under this regimen.
    public var failedDraws: Int
}

/// Ranks candidate regimens for a twin by their outcome under posterior uncertainty.
///
/// Every regimen is simulated for the same posterior draws (common random numbers), so the comparison within a
/// draw is paired: P(best) counts the draws in which a regimen beats all others. A draw in which any regimen's
/// simulation fails is excluded from P(best) (and counted in `failedDraws`).
public enum TreatmentRanking {
    public static func rank(model: PatientModel, sample: PosteriorSample, regimens: [Regimen], measure: OutcomeMeasure,
                            horizon: Double, points: Int = 201, threads: Int = 1) throws -> [RankedRegimen] {
        guard let column = model.observables.firstIndex(of: measure.observable) else {
            throw TwinError.invalidRegimen("objective observable \(measure.observable) is not one of \(model.observables.joined(separator: ", "))")
        }
        let thetas = sample.thetas
        let outcomes = try regimens.map { try outcomesOf($0, model: model, thetas: thetas, column: column, measure: measure,
                                                          horizon: horizon, points: points, threads: threads) }
        var wins = [Double](repeating: 0, count: regimens.count)
        var usable = 0.0
        for k in 0..<thetas.count {
            let values = outcomes.map { $0[k] }
            guard values.allSatisfy(\.isFinite) else { continue }
            let w = sample.weights[k]
            usable += w
            let best = measure.maximize ? values.max()! : values.min()!
            let winners = values.indices.filter { values[$0] == best }
            for i in winners { wins[i] += w / Double(winners.count) }
        }
        return regimens.indices.map { r in
            let pairs = thetas.indices.filter { outcomes[r][$0].isFinite }.map { (value: outcomes[r][$0], weight: sample.weights[$0]) }
            let total = pairs.reduce(0) { $0 + $1.weight }
            return RankedRegimen(regimen: regimens[r], mean: total > 0 ? pairs.reduce(0) { $0 + $1.value * $1.weight } / total : .nan,
                                 median: weightedQuantile(pairs, 0.5), lower90: weightedQuantile(pairs, 0.05),
                                 upper90: weightedQuantile(pairs, 0.95),
                                 probabilityBest: usable > 0 ? wins[r] / usable : .nan,
                                 failedDraws: thetas.count - pairs.count)
        }.sorted { a, b in
            let (x, y) = (a.mean.isNaN ? (measure.maximize ? -Double.infinity : .infinity) : a.mean,
                          b.mean.isNaN ? (measure.maximize ? -Double.infinity : .infinity) : b.mean)
            return measure.maximize ? x > y : x < y
        }
    }

    /// Ranking from a Laplace posterior: importance-weighted draws when `objective` is given, plain ones otherwise.
    public static func rank(model: PatientModel, posterior: LaplacePosterior, objective: TwinObjective? = nil, regimens: [Regimen],
                            measure: OutcomeMeasure, horizon: Double, points: Int = 201, draws: Int = 400, seed: UInt64,
                            threads: Int = 1) throws -> [RankedRegimen] {
        let sample = objective.map { posterior.importanceSample(objective: $0, count: draws, seed: seed) }
            ?? PosteriorSample(thetas: posterior.draws(count: draws, seed: seed), weights: Array(repeating: 1 / Double(draws), count: draws))
        return try rank(model: model, sample: sample, regimens: regimens, measure: measure, horizon: horizon, points: points, threads: threads)
    }

    /// Golden-section search for the value of `search.input` (within its bounds) that optimises the posterior
    /// mean outcome of the base regimen with that input set; `evaluations` simulations of all draws each.
    public static func optimise(model: PatientModel, posterior: LaplacePosterior, base: Regimen, search: RegimenSearch,
                                measure: OutcomeMeasure, horizon: Double, points: Int = 201, draws: Int = 200,
                                seed: UInt64, evaluations: Int = 24, threads: Int = 1) throws -> (value: Double, outcome: Double) {
        guard model.compiled.inputIndex(of: search.input) != nil else {
            throw TwinError.invalidRegimen("optimise.input \(search.input) is not an input of \(model.name)")
        }
        guard let column = model.observables.firstIndex(of: measure.observable) else {
            throw TwinError.invalidRegimen("objective observable \(measure.observable) is unknown")
        }
        let thetas = posterior.draws(count: draws, seed: seed)
        func expected(_ v: Double) throws -> Double {
            var regimen = base
            regimen.settings[search.input] = v
            let o = try outcomesOf(regimen, model: model, thetas: thetas, column: column, measure: measure,
                                   horizon: horizon, points: points, threads: threads).filter(\.isFinite)
            guard !o.isEmpty else { return .infinity }
            let mean = o.reduce(0, +) / Double(o.count)
            return measure.maximize ? -mean : mean
        }
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (search.lower, search.upper)
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = try expected(c), fd = try expected(d)
        for _ in 0..<max(0, evaluations - 2) {
            if fc < fd { b = d; d = c; fd = fc; c = b - ratio * (b - a); fc = try expected(c) } else {
                a = c; c = d; fc = fd; d = a + ratio * (b - a); fd = try expected(d)
            }
        }
        let (best, f) = fc < fd ? (c, fc) : (d, fd)
        // the bounds themselves are candidates too (monotone outcomes end at a bound)
        let candidates = [(best, f), (search.lower, try expected(search.lower)), (search.upper, try expected(search.upper))]
        let winner = candidates.min { $0.1 < $1.1 }!
        return (winner.0, measure.maximize ? -winner.1 : winner.1)
    }

    static func outcomesOf(_ regimen: Regimen, model: PatientModel, thetas: [[Double]], column: Int, measure: OutcomeMeasure,
                           horizon: Double, points: Int, threads: Int) throws -> [Double] {
        let times = SimulationProblem.grid(from: 0, to: horizon, points: points)
        let nObs = model.observables.count
        return try model.simulate(thetas, times: times, regimen: regimen, pilot: thetas.first ?? model.priorMean,
                                  threads: threads) { _, r in
            guard r.status.isSuccess else { return .nan }
            let y = times.indices.map { r.values[$0 * nObs + column] }
            return y.allSatisfy(\.isFinite) ? measure.evaluate(times: times, values: y) : .nan
        }
    }
}
