import Foundation
import Testing
@testable import Statistics

/// One 2×2 table with its reference values.
struct TableCase: Sendable, CustomStringConvertible {
    var sa, na, sb, nb: Int
    var wilsonA, wilsonB, wald, newcombe, riskRatio: (Double, Double)
    var fisher, chi, chiP: Double
    var description: String { "\(sa)/\(na) vs \(sb)/\(nb)" }
}

// Reference values (printed with repr()) from statsmodels 0.15.0 and scipy 1.17.1:
//   proportion_confint(s, n, method="wilson")
//   confint_proportions_2indep(sa, na, sb, nb, compare="diff", method="wald" | "newcomb")
//   confint_proportions_2indep(sa, na, sb, nb, compare="ratio", method="log")    (raises at sa = 0: NaN here)
//   scipy.stats.fisher_exact([[sa, na-sa], [sb, nb-sb]]).pvalue
//   scipy.stats.chi2_contingency([[sa, na-sa], [sb, nb-sb]], correction=False).statistic / .pvalue
let tableCases: [TableCase] = [
    TableCase(sa: 15, na: 40, sb: 8, nb: 42, wilsonA: (0.2422297916723327, 0.529675608626989),
              wilsonB: (0.09982008281647739, 0.3330077401003869), wald: (-0.006818117842463306, 0.3758657368900824),
              newcombe: (-0.010266259159496166, 0.36380870503968665), riskRatio: (0.9385699133587555, 4.129662060687067),
              fisher: 0.08584907463058493, chi: 3.4565919219566985, chiP: 0.06300004158003294),
    TableCase(sa: 0, na: 20, sb: 5, nb: 20, wilsonA: (0.0, 0.1611251580528194),
              wilsonB: (0.11186170140766563, 0.4687008776187441), wald: (-0.43977269678224906, -0.06022730321775094),
              newcombe: (-0.4687008776187441, -0.03776544556663031), riskRatio: (.nan, .nan),
              fisher: 0.04712404712404713, chi: 5.714285714285714, chiP: 0.01682740948275682),
    TableCase(sa: 30, na: 100, sb: 30, nb: 100, wilsonA: (0.21894885294932756, 0.39584854633346667),
              wilsonB: (0.21894885294932756, 0.39584854633346667), wald: (-0.12702018362022363, 0.12702018362022363),
              newcombe: (-0.12552383149214508, 0.12552383149214508), riskRatio: (0.6548162532660532, 1.5271459665398652),
              fisher: 1.0, chi: 0.0, chiP: 1.0),
    TableCase(sa: 480, na: 1000, sb: 420, nb: 1000, wilsonA: (0.44917079499694124, 0.510982275342481),
              wilsonB: (0.3897726821587803, 0.4508395991989084), wald: (0.016472910844321967, 0.10352708915567803),
              newcombe: (0.01639356974172345, 0.10328501044555058), riskRatio: (1.0369002135233272, 1.259641411917028),
              fisher: 0.007988704518105598, chi: 7.272727272727273, chiP: 0.00700094198944864),
    TableCase(sa: 20, na: 20, sb: 3, nb: 25, wilsonA: (0.8388748419471804, 0.9999999999999999),
              wilsonB: (0.04166817150440355, 0.2995579392092733), wald: (0.7526174185431462, 1.0073825814568538),
              newcombe: (0.6387483262428483, 0.9583318284955964), riskRatio: (2.882742286897188, 24.089716503652596),
              fisher: 6.315714763432245e-10, chi: 34.434782608695656, chiP: 4.407754737555876e-09),
]

@Suite struct ProportionTests {
    // Closed forms evaluated in double precision: 1e-12 relative (plus 1e-15 absolute for bounds at 0 and 1).
    @Test(arguments: tableCases)
    func matchesStatsmodelsAndScipy(c: TableCase) throws {
        let r = try ProportionComparison(successesA: c.sa, totalA: c.na, successesB: c.sb, totalB: c.nb)
        func close(_ i: ConfidenceInterval, _ e: (Double, Double), _ name: String) {
            expectClose(i.lower, e.0, rtol: 1e-12, atol: 1e-15, "\(c) \(name) lower")
            expectClose(i.upper, e.1, rtol: 1e-12, atol: 1e-15, "\(c) \(name) upper")
        }
        close(r.a.interval, c.wilsonA, "Wilson A")
        close(r.b.interval, c.wilsonB, "Wilson B")
        close(r.riskDifferenceWald, c.wald, "Wald difference")
        close(r.riskDifferenceNewcombe, c.newcombe, "Newcombe difference")
        close(r.riskRatioInterval, c.riskRatio, "risk ratio")
        expectClose(r.riskDifference, Double(c.sa) / Double(c.na) - Double(c.sb) / Double(c.nb), rtol: 1e-15, "difference")
        // Fisher: hypergeometric weights by exact ratios; scipy works through its own pmf, ~1e-12 relative.
        expectClose(r.fisherExactPValue, c.fisher, rtol: 1e-10, "\(c) Fisher p")
        expectClose(r.chiSquare, c.chi, rtol: 1e-12, atol: 1e-15, "\(c) chi-square")
        expectClose(r.chiSquarePValue, c.chiP, rtol: 1e-12, "\(c) chi-square p")
    }

    @Test func zeroMarginGivesNaNChiSquare() throws {
        let r = try ProportionComparison(successesA: 0, totalA: 10, successesB: 0, totalB: 12)
        #expect(r.chiSquare.isNaN && r.chiSquarePValue.isNaN && r.fisherExactPValue == 1 && r.riskRatio.isNaN)
    }

    @Test func largeTrialFisherStaysFinite() throws {
        // 100,000 patients: the ratio recurrence needs no factorials; p must be a probability.
        let r = try ProportionComparison(successesA: 25_300, totalA: 50_000, successesB: 24_700, totalB: 50_000)
        #expect(r.fisherExactPValue > 0 && r.fisherExactPValue < 1)
        // The χ² and Fisher p-values agree closely at this size.
        #expect(abs(r.fisherExactPValue - r.chiSquarePValue) / r.chiSquarePValue < 0.05)
    }

    @Test func badCountsAreTypedErrors() {
        #expect(throws: StatisticsError.tooFewValues(method: "ProportionEstimate", argument: "total", count: 0, needed: 1)) {
            try ProportionEstimate(successes: 0, total: 0)
        }
        #expect(throws: StatisticsError.self) { try ProportionComparison(successesA: 5, totalA: 4, successesB: 1, totalB: 3) }
        #expect(throws: StatisticsError.self) { try ProportionEstimate(successes: -1, total: 4) }
    }
}

@Suite struct CodableResultTests {
    // summary.json writers must pick a strategy for the documented NaN fields; with one, results round-trip.
    @Test func resultsRoundTripThroughJSONIncludingNaN() throws {
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        encoder.outputFormatting = .sortedKeys   // key order is otherwise unspecified
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let comparison = try ProportionComparison(successesA: 0, totalA: 20, successesB: 5, totalB: 20)
        let back = try decoder.decode(ProportionComparison.self, from: encoder.encode(comparison))
        #expect(back.riskDifference == comparison.riskDifference && back.riskRatioInterval.lower.isNaN)
        let km = try KaplanMeier(times: TiedData.timesA, events: TiedData.eventsA)
        // The last step has Ŝ = 0 and a NaN variance (NaN ≠ NaN), so compare the encodings.
        let data = try encoder.encode(km)
        #expect(try encoder.encode(decoder.decode(KaplanMeier.self, from: data)) == data)
        #expect(km.steps.last?.variance.isNaN == true)
    }
}
