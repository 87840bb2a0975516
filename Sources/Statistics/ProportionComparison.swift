#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sampling

/// Comparison of a binary endpoint between arm A and arm B: risk difference, risk ratio and tests of independence.
///
/// - Risk difference p_A − p_B with the Wald interval (± z·√(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B)) and Newcombe's
///   hybrid score interval (method 10, from the two Wilson intervals), matching statsmodels
///   `confint_proportions_2indep(compare="diff", method="wald" | "newcomb")`.
/// - Risk ratio p_A / p_B with the log-scale interval exp(log RR ± z·√(1/s_A − 1/n_A + 1/s_B − 1/n_B)), matching
///   `confint_proportions_2indep(compare="ratio", method="log")`. When either arm has no successes the ratio is
///   0, ∞ or NaN and its interval is NaN.
/// - Fisher's exact two-sided p-value as `scipy.stats.fisher_exact` computes it (tables no more likely than the
///   observed one, with scipy's 1e-7 relative slack), and Pearson's χ² without continuity correction
///   (`scipy.stats.chi2_contingency(correction=False)`); χ² and its p are NaN when a margin is zero.
/// - Complexity: O(min(n_A, n_B)) for Fisher's test.
public struct ProportionComparison: Sendable, Equatable, Codable {
    public let a: ProportionEstimate
    public let b: ProportionEstimate
    /// p_A − p_B.
    public let riskDifference: Double
    public let riskDifferenceWald: ConfidenceInterval
    public let riskDifferenceNewcombe: ConfidenceInterval
    /// p_A / p_B.
    public let riskRatio: Double
    public let riskRatioInterval: ConfidenceInterval
    public let fisherExactPValue: Double
    /// Pearson's χ² statistic of the 2×2 table (1 degree of freedom).
    public let chiSquare: Double
    public let chiSquarePValue: Double

    /// - Parameters:
    ///   - successesA, totalA: responders and patients in arm A (likewise B).
    ///   - confidenceLevel: coverage of every interval, in (0, 1); default 0.95.
    /// - Throws: `StatisticsError` when a total is below 1, successes lie outside 0...total, or the level is invalid.
    public init(successesA: Int, totalA: Int, successesB: Int, totalB: Int, confidenceLevel: Double = 0.95) throws {
        a = try ProportionEstimate(successes: successesA, total: totalA, confidenceLevel: confidenceLevel)
        b = try ProportionEstimate(successes: successesB, total: totalB, confidenceLevel: confidenceLevel)
        let z = StandardNormal.quantile((1 + confidenceLevel) / 2)
        let pa = a.proportion, pb = b.proportion, na = Double(totalA), nb = Double(totalB)
        riskDifference = pa - pb
        let waldHalf = z * (pa * (1 - pa) / na + pb * (1 - pb) / nb).squareRoot()
        riskDifferenceWald = ConfidenceInterval(lower: riskDifference - waldHalf, upper: riskDifference + waldHalf,
                                                level: confidenceLevel)
        let (la, ua) = (a.interval.lower, a.interval.upper), (lb, ub) = (b.interval.lower, b.interval.upper)
        riskDifferenceNewcombe = ConfidenceInterval(
            lower: riskDifference - ((pa - la) * (pa - la) + (ub - pb) * (ub - pb)).squareRoot(),
            upper: riskDifference + ((ua - pa) * (ua - pa) + (pb - lb) * (pb - lb)).squareRoot(),
            level: confidenceLevel)
        riskRatio = pa / pb
        if successesA > 0, successesB > 0 {
            let se = (1 / Double(successesA) - 1 / na + 1 / Double(successesB) - 1 / nb).squareRoot()
            riskRatioInterval = ConfidenceInterval(lower: riskRatio * exp(-z * se), upper: riskRatio * exp(z * se),
                                                   level: confidenceLevel)
        } else {
            riskRatioInterval = ConfidenceInterval(lower: .nan, upper: .nan, level: confidenceLevel)
        }
        fisherExactPValue = Self.fisherExact(successesA: successesA, totalA: totalA, successesB: successesB, totalB: totalB)
        chiSquare = Self.pearsonChiSquare([[successesA, totalA - successesA], [successesB, totalB - successesB]])
        chiSquarePValue = SpecialFunctions.chiSquareOneSurvival(chiSquare)
    }

    /// Two-sided Fisher exact p-value of the table [[s_A, n_A − s_A], [s_B, n_B − s_B]].
    ///
    /// The hypergeometric weights are built by their ratio recurrence outward from the mode (no factorials), so the
    /// p-value keeps full relative precision even for tens of thousands of patients.
    static func fisherExact(successesA: Int, totalA: Int, successesB: Int, totalB: Int) -> Double {
        let total = totalA + totalB, k = successesA + successesB
        let low = max(0, totalA - (total - k)), high = min(k, totalA)
        if low == high { return 1 }
        // ratio w(x+1)/w(x) = (k − x)(n_A − x) / ((x + 1)(N − k − n_A + x + 1))
        func ratio(_ x: Int) -> Double {
            Double(k - x) * Double(totalA - x) / (Double(x + 1) * Double(total - k - totalA + x + 1))
        }
        let mode = min(max(Int((Double(k + 1) * Double(totalA + 1) / Double(total + 2)).rounded(.down)), low), high)
        var weights = [Double](repeating: 0, count: high - low + 1)
        weights[mode - low] = 1
        if mode < high {
            for x in mode..<high { weights[x + 1 - low] = weights[x - low] * ratio(x) }
        }
        if mode > low {
            for x in stride(from: mode - 1, through: low, by: -1) { weights[x - low] = weights[x + 1 - low] / ratio(x) }
        }
        let observed = weights[successesA - low] * (1 + 1e-7)
        var sum = 0.0, tail = 0.0
        for w in weights {
            sum += w
            if w <= observed { tail += w }
        }
        return min(1, tail / sum)
    }

    /// Pearson's χ² of a contingency table (no continuity correction); NaN when a row or column sums to zero.
    static func pearsonChiSquare(_ table: [[Int]]) -> Double {
        let rows = table.map { Double($0.reduce(0, +)) }
        let columns = (0..<table[0].count).map { j in Double(table.reduce(0) { $0 + $1[j] }) }
        let total = rows.reduce(0, +)
        guard !rows.contains(0), !columns.contains(0) else { return .nan }
        var chi = 0.0
        for i in table.indices {
            for j in table[i].indices {
                let expected = rows[i] * columns[j] / total
                let d = Double(table[i][j]) - expected
                chi += d * d / expected
            }
        }
        return chi
    }
}
