/// The log-rank test that two groups share one survival function (two-sided, χ² with 1 degree of freedom).
///
/// At each distinct event time with n at risk (n_A in group A) and d events, E_A += d·n_A/n and the hypergeometric
/// variance V += d (n_A/n)(1 − n_A/n)(n − d)/(n − 1); χ² = (O_A − E_A)²/V. Matches lifelines
/// `statistics.logrank_test` (test_statistic, p_value). With no events at all V = 0 and χ², p are NaN.
/// - Complexity: O(n log n).
public struct LogRankTest: Sendable, Equatable, Codable {
    public let observedA: Int
    public let expectedA: Double
    public let observedB: Int
    public let expectedB: Double
    /// Variance of O_A − E_A under the null hypothesis.
    public let variance: Double
    public let chiSquare: Double
    public let pValue: Double

    /// - Parameters: times and event flags of each group (finite, ≥ 0 times; event true = observed, false = censored).
    /// - Throws: `StatisticsError` for an empty group, a negative or non-finite time, or mismatched lengths.
    public init(timesA: [Double], eventsA: [Bool], timesB: [Double], eventsB: [Bool]) throws {
        let method = "LogRankTest"
        try SurvivalTable.check(times: timesA, events: eventsA, method: method, timesName: "timesA", eventsName: "eventsA")
        try SurvivalTable.check(times: timesB, events: eventsB, method: method, timesName: "timesB", eventsName: "eventsB")
        let tableA = SurvivalTable(times: timesA, events: eventsA).rows
        let tableB = SurvivalTable(times: timesB, events: eventsB).rows
        var nA = Double(timesA.count), nB = Double(timesB.count)
        var i = 0, j = 0
        var expected = 0.0, variance = 0.0
        while i < tableA.count || j < tableB.count {
            let t = min(i < tableA.count ? tableA[i].time : .infinity, j < tableB.count ? tableB[j].time : .infinity)
            var dA = 0, dB = 0, leaveA = 0, leaveB = 0
            if i < tableA.count, tableA[i].time == t {
                dA = tableA[i].events; leaveA = dA + tableA[i].censored; i += 1
            }
            if j < tableB.count, tableB[j].time == t {
                dB = tableB[j].events; leaveB = dB + tableB[j].censored; j += 1
            }
            let d = Double(dA + dB), n = nA + nB
            if d > 0 {
                let fraction = nA / n
                expected += d * fraction
                if n > 1 { variance += d * fraction * (1 - fraction) * (n - d) / (n - 1) }
            }
            nA -= Double(leaveA)
            nB -= Double(leaveB)
        }
        observedA = eventsA.lazy.filter { $0 }.count
        observedB = eventsB.lazy.filter { $0 }.count
        expectedA = expected
        expectedB = Double(observedA + observedB) - expected
        self.variance = variance
        let difference = Double(observedA) - expected
        chiSquare = variance > 0 ? difference * difference / variance : .nan
        pValue = SpecialFunctions.chiSquareOneSurvival(chiSquare)
    }
}
