#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sampling

/// Cox proportional-hazards model with one binary covariate (e.g. treatment), Efron's handling of tied times.
///
/// Maximises Efron's partial log-likelihood in β by Newton's method with step halving; the hazard ratio is e^β
/// (group `true` relative to group `false`), the interval exp(β ± z·SE) with SE from the observed information, and
/// `pValue` is the Wald test of β = 0. Matches lifelines `CoxPHFitter` (default Efron ties): `hazards_`,
/// `confidence_intervals_`, `summary["p"]`, `log_likelihood_`, and `log_likelihood_ratio_test()`.
///
/// ```swift
/// let cox = try CoxPH(times: t, events: e, group: isTreated)
/// cox.hazardRatio, cox.interval.lower, cox.interval.upper, cox.pValue
/// ```
/// - Complexity: O(n log n + iterations · n).
public struct CoxPH: Sendable, Equatable, Codable {
    /// log hazard ratio β.
    public let coefficient: Double
    public let standardError: Double
    /// e^β: hazard in group `true` over hazard in group `false`.
    public let hazardRatio: Double
    /// Interval for the hazard ratio.
    public let interval: ConfidenceInterval
    /// Wald statistic β / SE.
    public let z: Double
    /// Two-sided Wald p-value for β = 0.
    public let pValue: Double
    /// Efron partial log-likelihood at β̂ and at β = 0.
    public let logLikelihood: Double
    public let nullLogLikelihood: Double
    /// Likelihood-ratio test of β = 0 (χ² with 1 degree of freedom).
    public let likelihoodRatioPValue: Double
    /// Newton iterations used.
    public let iterations: Int

    /// - Parameters:
    ///   - times: time of event or censoring per subject, finite and ≥ 0.
    ///   - events: true where the event was observed.
    ///   - group: the covariate (true = the group whose hazard ratio is reported).
    ///   - confidenceLevel: coverage of `interval`; default 0.95.
    /// - Throws: `StatisticsError` for bad or mismatched input, and `.notEstimable` when either group is empty or
    ///   has no events (the maximum-likelihood β is then ±∞), or when Newton's method fails to converge.
    public init(times: [Double], events: [Bool], group: [Bool], confidenceLevel: Double = 0.95) throws {
        let method = "CoxPH"
        try SurvivalTable.check(times: times, events: events, method: method, atLeast: 2)
        try Check.sameLength(times.count, group.count, method: method, first: "times", second: "group")
        try Check.level(confidenceLevel, method: method)
        for label in [true, false] {
            let members = group.indices.filter { group[$0] == label }
            guard !members.isEmpty else {
                throw StatisticsError.notEstimable(method: method, reason: "group '\(label)' has no subjects")
            }
            guard members.contains(where: { events[$0] }) else {
                throw StatisticsError.notEstimable(method: method, reason: "group '\(label)' has no events, the hazard ratio is 0 or infinite")
            }
        }
        let data = EfronData(times: times, events: events, group: group)
        var beta = 0.0
        var current = data.evaluate(beta)
        nullLogLikelihood = current.logLikelihood
        var iterations = 0, converged = false
        while iterations < 100 {
            iterations += 1
            var step = current.gradient / current.information
            var trial = data.evaluate(beta + step)
            var halvings = 0
            while !(trial.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood)), halvings < 60 {
                step /= 2
                trial = data.evaluate(beta + step)
                halvings += 1
            }
            beta += step
            current = trial
            if abs(step) <= 1e-12 * max(1, abs(beta)) { converged = true; break }
        }
        guard converged, current.information > 0, beta.isFinite else {
            throw StatisticsError.notEstimable(method: method, reason: "Newton's method did not converge (β = \(beta))")
        }
        coefficient = beta
        standardError = 1 / current.information.squareRoot()
        hazardRatio = exp(beta)
        let zCritical = StandardNormal.quantile((1 + confidenceLevel) / 2)
        interval = ConfidenceInterval(lower: exp(beta - zCritical * standardError),
                                      upper: exp(beta + zCritical * standardError), level: confidenceLevel)
        z = beta / standardError
        pValue = 2 * StandardNormal.survival(abs(z))
        logLikelihood = current.logLikelihood
        likelihoodRatioPValue = SpecialFunctions.chiSquareOneSurvival(2 * (logLikelihood - nullLogLikelihood))
        self.iterations = iterations
    }
}

/// Per distinct event time: counts at risk by group and tied events by group — all Efron's likelihood needs when the
/// covariate is 0/1.
struct EfronData {
    struct Stratum {
        var atRiskTreated = 0.0, atRiskControl = 0.0
        var eventsTreated = 0.0, eventsControl = 0.0
    }
    var strata: [Stratum] = []

    init(times: [Double], events: [Bool], group: [Bool]) {
        let order = times.indices.sorted { times[$0] > times[$1] }   // descending: the risk set grows as we go
        var treated = 0.0, control = 0.0
        var k = 0
        while k < order.count {
            let t = times[order[k]]
            var s = Stratum()
            while k < order.count, times[order[k]] == t {
                let i = order[k]
                if group[i] { treated += 1 } else { control += 1 }
                if events[i] { if group[i] { s.eventsTreated += 1 } else { s.eventsControl += 1 } }
                k += 1
            }
            s.atRiskTreated = treated
            s.atRiskControl = control
            if s.eventsTreated + s.eventsControl > 0 { strata.append(s) }
        }
    }

    /// Efron log-likelihood, its derivative and the observed information −d²/dβ² at β.
    func evaluate(_ beta: Double) -> (logLikelihood: Double, gradient: Double, information: Double) {
        let r = exp(beta)
        var loglik = 0.0, gradient = 0.0, information = 0.0
        for s in strata {
            let d = s.eventsTreated + s.eventsControl
            let s0 = s.atRiskTreated * r + s.atRiskControl, s1 = s.atRiskTreated * r
            let t0 = s.eventsTreated * r + s.eventsControl, t1 = s.eventsTreated * r
            loglik += s.eventsTreated * beta
            gradient += s.eventsTreated
            for l in 0..<Int(d) {
                let f = Double(l) / d
                let a0 = s0 - f * t0, a1 = s1 - f * t1   // covariate is 0/1, so the second moment equals a1
                let mean = a1 / a0
                loglik -= log(a0)
                gradient -= mean
                information += mean - mean * mean
            }
        }
        return (loglik, gradient, information)
    }
}
