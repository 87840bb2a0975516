/// Bad input to a statistical method: the error names the method, the argument and, where there is one, the index.
///
/// Numerical degeneracies that are not the caller's fault (a zero variance, a ratio with a zero denominator) are
/// not errors: they are documented NaN or infinite fields on the result.
public enum StatisticsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `argument` holds `count` values where `method` needs at least `needed`.
    case tooFewValues(method: String, argument: String, count: Int, needed: Int)
    /// `argument[index]` is NaN or infinite.
    case nonFiniteValue(method: String, argument: String, index: Int)
    /// `argument[index]` is negative where only non-negative values (times) make sense.
    case negativeValue(method: String, argument: String, index: Int, value: Double)
    /// Two arguments that must pair up element by element have different lengths.
    case lengthMismatch(method: String, first: String, firstCount: Int, second: String, secondCount: Int)
    /// A scalar argument is outside its allowed range (e.g. a confidence level outside (0, 1)).
    case invalidArgument(method: String, argument: String, reason: String)
    /// The data do not identify the estimate (e.g. a Cox model where one group has no events).
    case notEstimable(method: String, reason: String)

    public var description: String {
        switch self {
        case let .tooFewValues(method, argument, count, needed):
            return "\(method): '\(argument)' has \(count) value(s), at least \(needed) needed"
        case let .nonFiniteValue(method, argument, index):
            return "\(method): '\(argument)[\(index)]' is not a finite number"
        case let .negativeValue(method, argument, index, value):
            return "\(method): '\(argument)[\(index)]' is negative (\(value))"
        case let .lengthMismatch(method, first, firstCount, second, secondCount):
            return "\(method): '\(first)' has \(firstCount) values but '\(second)' has \(secondCount)"
        case let .invalidArgument(method, argument, reason):
            return "\(method): '\(argument)' \(reason)"
        case let .notEstimable(method, reason):
            return "\(method): not estimable: \(reason)"
        }
    }
}

/// Argument checks shared by the methods; each throws the first problem it finds.
enum Check {
    static func finite(_ values: [Double], method: String, argument: String, atLeast needed: Int) throws {
        if values.count < needed {
            throw StatisticsError.tooFewValues(method: method, argument: argument, count: values.count, needed: needed)
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw StatisticsError.nonFiniteValue(method: method, argument: argument, index: i)
        }
    }

    static func times(_ values: [Double], method: String, argument: String, atLeast needed: Int) throws {
        try finite(values, method: method, argument: argument, atLeast: needed)
        if let i = values.firstIndex(where: { $0 < 0 }) {
            throw StatisticsError.negativeValue(method: method, argument: argument, index: i, value: values[i])
        }
    }

    static func sameLength(_ a: Int, _ b: Int, method: String, first: String, second: String) throws {
        if a != b {
            throw StatisticsError.lengthMismatch(method: method, first: first, firstCount: a, second: second, secondCount: b)
        }
    }

    static func level(_ level: Double, method: String) throws {
        guard level > 0, level < 1 else {
            throw StatisticsError.invalidArgument(method: method, argument: "confidenceLevel", reason: "must lie in (0, 1), got \(level)")
        }
    }
}
