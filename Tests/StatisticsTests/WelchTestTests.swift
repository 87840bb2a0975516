import Testing
@testable import Statistics

// Reference values from scipy 1.17.1 (printed with repr()):
//   rng = numpy.random.default_rng(2024)
//   a = numpy.round(rng.normal(10, 2, 11), 3); b = numpy.round(rng.normal(8.5, 3.5, 14), 3)
//   r = scipy.stats.ttest_ind(a, b, equal_var=False); r.statistic, r.df, r.pvalue
//   r.confidence_interval(0.95), r.confidence_interval(0.9)
@Suite struct WelchTestTests {
    let a = [12.058, 13.284, 12.293, 8.054, 7.214, 10.134, 11.723, 11.018, 13.621, 11.502, 11.28]
    let b = [5.94, 4.623, 13.695, 8.671, 11.34, 3.683, 6.973, 3.981, 5.785, 11.661, 3.318, 6.631, 9.073, 6.16]

    @Test func matchesScipy() throws {
        let w = try WelchTest(a: a, b: b)
        // Deterministic closed forms plus the t distribution (1e-12): 1e-10 relative.
        expectClose(w.difference, 3.8549350649350638, rtol: 1e-12, "difference")
        expectClose(w.t, 3.6821481444876776, rtol: 1e-12, "t")
        expectClose(w.degreesOfFreedom, 21.952912740892067, rtol: 1e-12, "df")
        expectClose(w.pValue, 0.001308784500293222, rtol: 1e-10, "p")
        expectClose(w.interval.lower, 1.683474266753421, rtol: 1e-10, "lower 95%")
        expectClose(w.interval.upper, 6.026395863116706, rtol: 1e-10, "upper 95%")
        #expect(w.interval.level == 0.95)
        let w90 = try WelchTest(a: a, b: b, confidenceLevel: 0.9)
        expectClose(w90.interval.lower, 2.0570433364375416, rtol: 1e-10, "lower 90%")
        expectClose(w90.interval.upper, 5.6528267934325855, rtol: 1e-10, "upper 90%")
    }

    @Test func swappingGroupsFlipsTheSign() throws {
        let w = try WelchTest(a: a, b: b), v = try WelchTest(a: b, b: a)
        #expect(v.difference == -w.difference && v.pValue == w.pValue)
        expectClose(v.interval.lower, -w.interval.upper, rtol: 1e-14, "mirrored interval")
    }

    @Test func constantSamplesGiveDocumentedNaN() throws {
        let w = try WelchTest(a: [1, 1, 1], b: [2, 2])
        #expect(w.difference == -1 && w.standardError == 0 && w.pValue.isNaN)
        #expect(w.interval.lower == -1 && w.interval.upper == -1)
    }

    @Test func badInputIsATypedError() {
        #expect(throws: StatisticsError.tooFewValues(method: "WelchTest", argument: "b", count: 1, needed: 2)) {
            try WelchTest(a: [1, 2], b: [3])
        }
        #expect(throws: StatisticsError.nonFiniteValue(method: "WelchTest", argument: "a", index: 1)) {
            try WelchTest(a: [1, .nan, 3], b: [3, 4])
        }
        #expect(throws: StatisticsError.self) { try WelchTest(a: [1, 2], b: [3, 4], confidenceLevel: 1) }
    }
}

@Suite struct SummaryQuantileTests {
    // numpy.quantile([3, 1, 4, 1, 5, 9, 2, 6], [0, 0.1, 0.5, 0.95, 1]) (linear, type 7)
    @Test func quantilesMatchNumpy() {
        let q = Summary.quantiles([3, 1, 4, 1, 5, 9, 2, 6], [0, 0.1, 0.5, 0.95, 1])
        let expected = [1.0, 1.0, 3.5, 7.949999999999998, 9.0]
        for (i, value) in q.enumerated() { expectClose(value, expected[i], rtol: 1e-15, "quantile \(i)") }
        #expect(Summary.quantiles([], [0.5])[0].isNaN)
    }
}
