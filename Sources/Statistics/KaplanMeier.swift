#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sampling

/// The Kaplan–Meier estimate of the survival function from right-censored times to event.
///
/// Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ); Greenwood's variance Var Ŝ = Ŝ² Σ dᵢ/(nᵢ(nᵢ − dᵢ)); the pointwise interval is
/// lifelines' default exponential (log(−log)) interval exp(−exp(log(−log Ŝ) ± z·√(Σ dᵢ/(nᵢ(nᵢ−dᵢ)))/log Ŝ)).
/// Matches lifelines `KaplanMeierFitter` (survival_function_, confidence_interval_, median_survival_time_).
///
/// ```swift
/// let km = try KaplanMeier(times: [5, 6, 6, 2.5, 4, 4], events: [true, false, true, true, true, true])
/// km.median        // 4.0
/// km.survival(at: 4.5)
/// ```
/// Where Ŝ = 1 (before the first event) the interval is [1, 1]; where Ŝ = 0 (everyone left at risk had the event) it
/// is [0, 0] and the variance is NaN. Times are in the caller's unit.
/// - Complexity: O(n log n).
public struct KaplanMeier: Sendable, Equatable, Codable {
    /// The estimate just after one distinct observed time.
    public struct Step: Sendable, Equatable, Codable {
        public let time: Double
        /// Number at risk just before `time`.
        public let atRisk: Int
        public let events: Int
        public let censored: Int
        /// Ŝ(time).
        public let survival: Double
        /// Greenwood variance of Ŝ(time).
        public let variance: Double
        public let lower: Double
        public let upper: Double
    }

    /// One step per distinct observed time (event or censoring), ascending.
    public let steps: [Step]
    public let confidenceLevel: Double
    /// The smallest time with Ŝ ≤ 0.5 (lifelines' definition); +∞ when Ŝ never falls to 0.5.
    public let median: Double

    /// - Parameters:
    ///   - times: time of event or censoring per subject, finite and ≥ 0.
    ///   - events: true where the event was observed, false where the subject was censored.
    ///   - confidenceLevel: coverage of the pointwise interval; default 0.95.
    /// - Throws: `StatisticsError` for no subjects, a negative or non-finite time, mismatched lengths, a bad level.
    public init(times: [Double], events: [Bool], confidenceLevel: Double = 0.95) throws {
        try SurvivalTable.check(times: times, events: events, method: "KaplanMeier")
        try Check.level(confidenceLevel, method: "KaplanMeier")
        self.confidenceLevel = confidenceLevel
        let z = StandardNormal.quantile((1 + confidenceLevel) / 2)
        var atRisk = times.count
        var survival = 1.0, greenwood = 0.0
        var steps: [Step] = []
        for row in SurvivalTable(times: times, events: events).rows {
            let n = Double(atRisk), d = Double(row.events)
            if row.events > 0 {
                survival *= 1 - d / n
                greenwood += d / (n * (n - d))
            }
            let (lower, upper) = Self.logLogInterval(survival: survival, greenwood: greenwood, z: z)
            steps.append(Step(time: row.time, atRisk: atRisk, events: row.events, censored: row.censored,
                              survival: survival, variance: survival * survival * greenwood, lower: lower, upper: upper))
            atRisk -= row.events + row.censored
        }
        self.steps = steps
        median = steps.first { $0.survival <= 0.5 }?.time ?? .infinity
    }

    static func logLogInterval(survival: Double, greenwood: Double, z: Double) -> (Double, Double) {
        if survival >= 1 { return (1, 1) }
        if survival <= 0 { return (0, 0) }
        let v = log(survival)
        let shift = z * greenwood.squareRoot() / v
        // log Ŝ < 0, so `shift` is negative: subtracting it gives the lower bound.
        return (exp(-exp(log(-v) - shift)), exp(-exp(log(-v) + shift)))
    }

    /// Ŝ(t): 1 before the first step, then the value of the last step at or before t.
    public func survival(at t: Double) -> Double {
        var value = 1.0
        for step in steps {
            if step.time > t { break }
            value = step.survival
        }
        return value
    }

    /// The smallest time with Ŝ ≤ 1 − q, i.e. the q-quantile of the time to event (q in (0, 1)); +∞ if not reached.
    public func quantile(_ q: Double) -> Double {
        steps.first { $0.survival <= 1 - q }?.time ?? .infinity
    }
}
