/// A two-sided confidence interval `[lower, upper]` at a stated level (e.g. 0.95).
///
/// Bounds are NaN where the method documents that the interval is undefined for the data at hand.
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    public let lower: Double
    public let upper: Double
    /// The coverage level in (0, 1).
    public let level: Double

    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }

    /// Whether `value` lies in the closed interval (false when a bound is NaN).
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
