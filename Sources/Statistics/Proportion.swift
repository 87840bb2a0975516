import Sampling

/// A binomial proportion `successes / total` with its Wilson score interval.
///
/// Wilson: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹((1+level)/2); matches
/// `statsmodels.stats.proportion.proportion_confint(method="wilson")`. Stays inside [0, 1] and is sensible at 0 and n.
public struct ProportionEstimate: Sendable, Equatable, Codable {
    public let successes: Int
    public let total: Int
    /// successes / total.
    public let proportion: Double
    /// Wilson score interval for the proportion.
    public let interval: ConfidenceInterval

    /// - Throws: `StatisticsError` when `total` < 1, `successes` is outside 0...total, or the level is outside (0, 1).
    public init(successes: Int, total: Int, confidenceLevel: Double = 0.95) throws {
        let method = "ProportionEstimate"
        guard total >= 1 else {
            throw StatisticsError.tooFewValues(method: method, argument: "total", count: max(total, 0), needed: 1)
        }
        guard (0...total).contains(successes) else {
            throw StatisticsError.invalidArgument(method: method, argument: "successes", reason: "must lie in 0...\(total), got \(successes)")
        }
        try Check.level(confidenceLevel, method: method)
        self.successes = successes
        self.total = total
        proportion = Double(successes) / Double(total)
        let (lower, upper) = Self.wilson(successes: successes, total: total, level: confidenceLevel)
        interval = ConfidenceInterval(lower: lower, upper: upper, level: confidenceLevel)
    }

    static func wilson(successes: Int, total: Int, level: Double) -> (Double, Double) {
        let n = Double(total), p = Double(successes) / n
        let z = StandardNormal.quantile((1 + level) / 2), z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return (max(0, center - half), min(1, center + half))
    }
}
