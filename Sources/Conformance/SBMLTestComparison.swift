import Foundation

/// The first value of a simulation that misses the suite's tolerance.
public struct SBMLMismatch: Hashable, Sendable, CustomStringConvertible {
    public var variable: String
    public var time: Double
    public var expected: Double
    public var got: Double
    /// `absolute + relative · |expected|`.
    public var tolerance: Double

    public var description: String {
        "\(variable) at t=\(format(time)): expected \(format(expected)), got \(format(got)) (tolerance \(format(tolerance)))"
    }

    private func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "INF" : "-INF" }
        return "\(v)"
    }
}

/// The SBML Test Suite's rule for a simulated value.
public enum SBMLTestComparison {
    /// True when `got` matches `expected`: `|got − expected| ≤ absolute + relative · |expected|` for finite
    /// expected values; NaN must be matched by NaN and an infinity by the same infinity.
    public static func matches(expected: Double, got: Double, absolute: Double, relative: Double) -> Bool {
        if expected.isNaN { return got.isNaN }
        if expected.isInfinite { return got == expected }
        guard got.isFinite else { return false }
        return abs(got - expected) <= absolute + relative * abs(expected)
    }

    /// Compares simulated columns with the expected results, row by row; returns the first mismatch in
    /// time order (columns in `variables` order within a row), or nil when every value matches.
    /// - Parameters:
    ///   - simulated: `simulated[i][j]` is the value of `variables[j]` at `expected.times[i]`.
    /// - Throws: `SBMLTestSuiteError.badResults` when the results lack a variable or the row counts differ.
    public static func firstMismatch(variables: [String], simulated: [[Double]], expected: SBMLExpectedResults,
                                     absolute: Double, relative: Double) throws -> SBMLMismatch? {
        var columns: [Int] = []
        for v in variables {
            guard let c = expected.columns.firstIndex(of: v) else {
                throw SBMLTestSuiteError.badResults("no column '\(v)' (columns: \(expected.columns.joined(separator: ", ")))")
            }
            columns.append(c)
        }
        guard simulated.count == expected.rows.count else {
            throw SBMLTestSuiteError.badResults("\(expected.rows.count) expected rows, \(simulated.count) simulated")
        }
        for (i, row) in simulated.enumerated() {
            for (j, c) in columns.enumerated() {
                let e = expected.rows[i][c]
                let g = j < row.count ? row[j] : .nan
                if !matches(expected: e, got: g, absolute: absolute, relative: relative) {
                    return SBMLMismatch(variable: variables[j], time: expected.times[i], expected: e, got: g,
                                        tolerance: absolute + relative * abs(e))
                }
            }
        }
        return nil
    }
}
