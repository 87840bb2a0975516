import Foundation
import Inference
import Sampling
import Simulation

/// Validation of the twin workflow on synthetic patients whose truth is known.
///
/// For each patient i the true individual parameters are drawn from the prior (stream (seed, i, "truth")), the
/// observable is measured at `observationTimes` with the error model's noise (stream (seed, i, "noise")), and for
/// every k in `observationCounts` the twin is fitted to the first k measurements and forecast. Reported per k:
/// the fraction of (patient, time) pairs at `evaluationTimes` later than the k-th measurement whose *true* latent
/// value lies inside the 90 % forecast interval (calibration: should be near 0.90), and the mean 90 % interval
/// width (should shrink as k grows). Treatment: every regimen is simulated at the truth and ranked by `measure`;
/// the rate at which the twin's top-ranked regimen (after the most observations) is the truly best is reported.
public struct TwinValidation: Sendable {
    public var prior: TwinPrior
    public var observable: String
    public var observationTimes: [Double]
    public var observationCounts: [Int]
    public var evaluationTimes: [Double]
    public var regimens: [Regimen]
    public var measure: OutcomeMeasure?
    public var horizon: Double
    public var draws: Int

    public init(prior: TwinPrior, observable: String, observationTimes: [Double], observationCounts: [Int], evaluationTimes: [Double],
                regimens: [Regimen] = [], measure: OutcomeMeasure? = nil, horizon: Double, draws: Int = 200) {
        self.prior = prior
        self.observable = observable
        self.observationTimes = observationTimes
        self.observationCounts = observationCounts
        self.evaluationTimes = evaluationTimes
        self.regimens = regimens
        self.measure = measure
        self.horizon = horizon
        self.draws = draws
    }

    public struct Level: Codable, Sendable {
        public var observations: Int
        public var coverage90: Double
        public var coverage50: Double
        public var meanWidth90: Double
        public var pairs: Int
    }

    public struct Report: Codable, Sendable {
        public var patients: Int
        public var failedFits: Int
        public var levels: [Level]
        /// Fraction of patients whose twin's best regimen is the truly best one (nil without regimens).
        public var bestTreatmentMatchRate: Double?
    }

    struct PatientOutcome: Sendable {
        var inside90: [Int]
        var inside50: [Int]
        var width90: [Double]
        var pairs: [Int]
        var bestMatches: Bool?
        var failed: Bool
    }

    /// The built-in validation: Baccam 2006 influenza, titres measured twice daily over the first 3 days, three
    /// 2-day courses of a 95 % antiviral starting at day 3, 4 or 5, ranked by days of shedding above 10¹ TCID50/mL.
    public static func baccamDefault(draws: Int = 200) throws -> TwinValidation {
        let prior = try TwinPrior.fromLibrary("baccam2006", errorSD: 0.3)
        let course = { (start: Double) in
            Regimen(name: "antiviral-day\(Int(start))", settings: ["eps_antiviral": 0.95, "t_treat": start],
                    schedule: [Dose(target: "eps_antiviral", time: start + 2, amount: 0, kind: .set)])
        }
        return TwinValidation(prior: prior, observable: "log10_titre", observationTimes: [0.5, 1, 1.5, 2, 2.5, 3],
                              observationCounts: [2, 4, 6], evaluationTimes: [3.5, 4, 4.5, 5, 5.5, 6],
                              regimens: [course(3), course(4), course(5)],
                              measure: try OutcomeMeasure(parsing: "time_above:log10_titre:1"), horizon: 10, draws: draws)
    }

    public func run(patients: Int, seed: UInt64, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Report {
        let model = try PatientModel(prior: prior)
        guard let column = model.observables.firstIndex(of: observable) else { throw TwinError.invalidData("unknown observable \(observable)") }
        guard let sd = prior.errorSD(for: observable) else { throw TwinError.invalidData("no error model for \(observable)") }
        let all = parallelMap(count: patients, threads: threads) { patient($0, seed: seed, model: model, column: column, sd: sd) }
        let ok = all.filter { !$0.failed }
        let levels = observationCounts.indices.map { l -> Level in
            let pairs = ok.reduce(0) { $0 + $1.pairs[l] }
            return Level(observations: observationCounts[l],
                         coverage90: Double(ok.reduce(0) { $0 + $1.inside90[l] }) / Double(max(pairs, 1)),
                         coverage50: Double(ok.reduce(0) { $0 + $1.inside50[l] }) / Double(max(pairs, 1)),
                         meanWidth90: ok.reduce(0) { $0 + $1.width90[l] } / Double(max(pairs, 1)), pairs: pairs)
        }
        let ranked = ok.compactMap(\.bestMatches)
        return Report(patients: patients, failedFits: all.count - ok.count, levels: levels,
                      bestTreatmentMatchRate: ranked.isEmpty ? nil : Double(ranked.filter { $0 }.count) / Double(ranked.count))
    }

    func patient(_ i: Int, seed: UInt64, model: PatientModel, column: Int, sd: Double) -> PatientOutcome {
        var failedOutcome = PatientOutcome(inside90: [], inside50: [], width90: [], pairs: [], bestMatches: nil, failed: true)
        var rng = RandomStream(seed: seed, index: i, purpose: "truth")
        let truth = prior.parameters.map { $0.mean + $0.sd * rng.nextNormal() }
        let options = SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-12)
        let times = (observationTimes + evaluationTimes).sorted()
        guard let trueRun = try? model.problem(at: truth, times: times).solve(options), trueRun.status.isSuccess else { return failedOutcome }
        func trueValue(_ t: Double) -> Double { trueRun[times.firstIndex(of: t)!, column] }
        var noise = RandomStream(seed: seed, index: i, purpose: "noise")
        let data = observationTimes.map {
            PatientObservation(time: $0, observable: observable, value: trueValue($0) + sd * noise.nextNormal(), source: "synthetic \(i)")
        }
        var outcome = PatientOutcome(inside90: [], inside50: [], width90: [], pairs: [], bestMatches: nil, failed: false)
        var last: LaplacePosterior?
        for k in observationCounts {
            guard let objective = try? TwinObjective(model: model, observations: Array(data.prefix(k))),
                  let fit = try? IndividualFit.map(objective, start: last?.mode),
                  let forecast = try? Forecast.make(model: model, posterior: fit, objective: objective, horizon: evaluationTimes.max()!,
                                                    points: 2, draws: draws, seed: seed &+ UInt64(i), evaluationTimes: evaluationTimes) else {
                failedOutcome.failed = true
                return failedOutcome
            }
            last = fit
            let after = evaluationTimes.filter { $0 > observationTimes[k - 1] }
            var in90 = 0, in50 = 0, width = 0.0
            for t in after {
                let r = forecast.times.firstIndex(of: t)!
                let band = forecast.latent[column]
                let y = trueValue(t)
                if band[0][r] <= y && y <= band[4][r] { in90 += 1 }
                if band[1][r] <= y && y <= band[3][r] { in50 += 1 }
                width += band[4][r] - band[0][r]
            }
            outcome.inside90.append(in90)
            outcome.inside50.append(in50)
            outcome.width90.append(width)
            outcome.pairs.append(after.count)
        }
        if let measure, !regimens.isEmpty, let fit = last {
            let truePosterior = LaplacePosterior(parameterIds: fit.parameterIds, mode: truth,
                                                 covariance: [Double](repeating: 0, count: truth.count * truth.count),
                                                 objective: 0, iterations: 0, converged: true)
            let objective = try? TwinObjective(model: model, observations: Array(data.prefix(observationCounts.max()!)))
            guard let ranked = try? TreatmentRanking.rank(model: model, posterior: fit, objective: objective, regimens: regimens, measure: measure,
                                                          horizon: horizon, draws: draws, seed: seed &+ UInt64(i)),
                  let trueOutcomes = try? regimens.map({ r in
                      try TreatmentRanking.outcomesOf(r, model: model, thetas: [truePosterior.mode], column: model.observables.firstIndex(of: measure.observable)!,
                                                      measure: measure, horizon: horizon, points: 201, threads: 1)[0]
                  }) else { return outcome }
            let trueBest = measure.maximize ? trueOutcomes.indices.max { trueOutcomes[$0] < trueOutcomes[$1] }!
                                            : trueOutcomes.indices.min { trueOutcomes[$0] < trueOutcomes[$1] }!
            outcome.bestMatches = ranked.first?.regimen.name == regimens[trueBest].name
        }
        return outcome
    }
}
