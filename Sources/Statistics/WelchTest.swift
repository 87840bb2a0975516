/// Welch's two-sample t test (unequal variances) for the difference in means `a − b`.
///
/// t = (x̄_a − x̄_b) / SE with SE² = s²_a/n_a + s²_b/n_b and Welch–Satterthwaite degrees of freedom
/// ν = SE⁴ / ((s²_a/n_a)²/(n_a−1) + (s²_b/n_b)²/(n_b−1)); the interval is difference ± t_{ν,(1+level)/2}·SE.
/// Matches `scipy.stats.ttest_ind(a, b, equal_var=False)` and its `confidence_interval()`.
///
/// ```swift
/// let w = try WelchTest(a: treated, b: control)
/// w.difference, w.interval.lower, w.interval.upper, w.pValue
/// ```
/// When both samples have zero variance, SE = 0: `t`, `degreesOfFreedom` and `pValue` are NaN (or t is ±∞)
/// and the interval collapses to the difference.
/// - Complexity: O(n_a + n_b).
public struct WelchTest: Sendable, Equatable, Codable {
    public let summaryA: Summary
    public let summaryB: Summary
    /// mean(a) − mean(b), in the data's units.
    public let difference: Double
    /// Standard error of the difference.
    public let standardError: Double
    public let t: Double
    /// Welch–Satterthwaite degrees of freedom.
    public let degreesOfFreedom: Double
    /// Two-sided p-value for H₀: equal means.
    public let pValue: Double
    /// Confidence interval for the difference.
    public let interval: ConfidenceInterval

    /// - Parameters:
    ///   - a, b: the two samples (each at least two finite values).
    ///   - confidenceLevel: coverage of `interval`, in (0, 1); default 0.95.
    /// - Throws: `StatisticsError` for fewer than two values, a non-finite value or a level outside (0, 1).
    public init(a: [Double], b: [Double], confidenceLevel: Double = 0.95) throws {
        let method = "WelchTest"
        try Check.finite(a, method: method, argument: "a", atLeast: 2)
        try Check.finite(b, method: method, argument: "b", atLeast: 2)
        try Check.level(confidenceLevel, method: method)
        summaryA = Summary(a)
        summaryB = Summary(b)
        let va = summaryA.standardDeviation * summaryA.standardDeviation / Double(a.count)
        let vb = summaryB.standardDeviation * summaryB.standardDeviation / Double(b.count)
        difference = summaryA.mean - summaryB.mean
        standardError = (va + vb).squareRoot()
        t = difference / standardError
        degreesOfFreedom = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let distribution = StudentT(degreesOfFreedom: degreesOfFreedom)
        pValue = distribution.twoSidedPValue(t)
        let half = standardError == 0 ? 0 : distribution.quantile((1 + confidenceLevel) / 2) * standardError
        interval = ConfidenceInterval(lower: difference - half, upper: difference + half, level: confidenceLevel)
    }
}
