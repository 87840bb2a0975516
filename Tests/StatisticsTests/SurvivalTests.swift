import Testing
@testable import Statistics

// Datasets (integer times, heavy ties) and reference values, lifelines 0.30.3 / statsmodels 0.15.0, repr():
//   rng = numpy.random.default_rng(2024), after drawing the Welch samples of WelchTestTests:
//   tA = round(rng.exponential(10, 24)) + 1; tB = round(rng.exponential(6, 26)) + 1
//   cA = round(rng.uniform(3, 30, 24)); cB = round(rng.uniform(3, 30, 26)); events = t <= c; times = min(t, c)
//   KaplanMeierFitter().fit(timesA, eventsA): survival_function_, confidence_interval_, median_survival_time_
//   lifelines.statistics.logrank_test(timesA, timesB, eventsA, eventsB): test_statistic, p_value
enum TiedData {
    static let timesA: [Double] = [5, 5, 2, 11, 2, 9, 3, 19, 5, 9, 2, 2, 2, 8, 16, 11, 3, 4, 5, 2, 1, 13, 1, 3]
    static let eventsA = [true, true, true, true, true, true, true, true, true, true, true, true, true, false, true,
                          false, true, true, false, true, true, false, true, true]
    static let timesB: [Double] = [2, 5, 4, 9, 3, 14, 2, 10, 5, 9, 1, 4, 20, 12, 1, 4, 2, 1, 9, 6, 4, 1, 2, 9, 2, 2]
    static let eventsB = [true, true, false, true, true, true, true, true, true, false, true, true, false, true, true,
                          true, true, true, true, false, true, true, true, true, true, true]
    /// (time, survival, lower, upper) at each distinct time of arm A.
    static let kaplanMeierA: [(Double, Double, Double, Double)] = [
        (1.0, 0.9166666666666667, 0.7060552678440145, 0.9784830365742961),
        (2.0, 0.6666666666666665, 0.4427997959874072, 0.8172502387098067),
        (3.0, 0.5416666666666666, 0.3271196557333893, 0.7143412176468686),
        (4.0, 0.49999999999999994, 0.2909771010411733, 0.6776089199803685),
        (5.0, 0.375, 0.1900075341380323, 0.5602946815938658),
        (8.0, 0.375, 0.1900075341380323, 0.5602946815938658),
        (9.0, 0.26785714285714285, 0.10682183878520383, 0.4603076936515829),
        (11.0, 0.2142857142857143, 0.07212541848218514, 0.40555702298432494),
        (13.0, 0.2142857142857143, 0.07212541848218514, 0.40555702298432494),
        (16.0, 0.10714285714285714, 0.010082529609810419, 0.33781048406381103),
        (19.0, 0.0, 0.0, 0.0),
    ]
}

// A second dataset with a strong effect and times to one decimal:
//   rng = numpy.random.default_rng(7); tA = round(rng.exponential(15, 30), 1); tB = round(rng.exponential(4, 30), 1)
//   cA = round(rng.uniform(5, 40, 30), 1); cB = round(rng.uniform(5, 40, 30), 1); events = t <= c; times = min(t, c)
enum StrongEffectData {
    static let timesA = [10.3, 15.4, 8.5, 13.4, 3.1, 38.9, 0.1, 28.5, 8.6, 4.5, 8.1, 4.7, 13.5, 16.1, 28.3, 3.3, 10.1,
                         11.0, 5.2, 13.3, 1.1, 0.9, 18.4, 11.6, 18.2, 7.1, 7.8, 6.3, 7.9, 0.3]
    static let eventsA = [false, true, true, true, true, false, true, false, true, true, true, true, true, true, true,
                          true, false, true, true, true, true, true, true, true, false, true, true, false, true, true]
    static let timesB = [1.2, 4.1, 2.5, 5.6, 0.0, 3.6, 1.0, 1.4, 12.3, 5.6, 15.2, 7.0, 9.0, 0.6, 1.2, 1.0, 4.6, 4.9,
                         0.5, 1.5, 4.3, 0.3, 0.4, 3.5, 7.5, 10.8, 2.8, 5.2, 3.1, 3.7]
    static let eventsB = [Bool](repeating: true, count: 30)
}

@Suite struct KaplanMeierTests {
    @Test func matchesLifelines() throws {
        let km = try KaplanMeier(times: TiedData.timesA, events: TiedData.eventsA)
        #expect(km.steps.count == TiedData.kaplanMeierA.count)
        for (step, reference) in zip(km.steps, TiedData.kaplanMeierA) {
            #expect(step.time == reference.0)
            // Products of exact ratios and a closed-form interval: 1e-12 relative.
            expectClose(step.survival, reference.1, rtol: 1e-12, "S(\(step.time))")
            expectClose(step.lower, reference.2, rtol: 1e-12, "lower(\(step.time))")
            expectClose(step.upper, reference.3, rtol: 1e-12, "upper(\(step.time))")
        }
        #expect(km.median == 4.0)   // lifelines median_survival_time_
        #expect(km.steps[0].atRisk == 24 && km.steps[1].atRisk == 22 && km.steps[1].events == 6)
        #expect(km.survival(at: 0.5) == 1 && km.survival(at: 4.5) == km.steps[3].survival)
    }

    @Test func greenwoodVarianceByHand() throws {
        // Two deaths among 4 at t=1, then 1 death among 2 at t=2: S = 0.5, 0.25;
        // Var = S² Σ d/(n(n−d)) = 0.25·(2/8) and 0.0625·(2/8 + 1/2).
        let km = try KaplanMeier(times: [1, 1, 2, 2], events: [true, true, true, false])
        expectClose(km.steps[0].variance, 0.0625, rtol: 1e-15, "Var S(1)")
        expectClose(km.steps[1].variance, 0.046875, rtol: 1e-15, "Var S(2)")
        #expect(km.median == 1)
    }

    @Test func neverReachingHalfGivesInfiniteMedian() throws {
        let km = try KaplanMeier(times: [1, 2, 3, 4], events: [true, false, false, false])
        #expect(km.median == .infinity && km.steps[0].lower < km.steps[0].survival)
    }

    @Test func badInputIsATypedError() {
        #expect(throws: StatisticsError.negativeValue(method: "KaplanMeier", argument: "times", index: 1, value: -2)) {
            try KaplanMeier(times: [1, -2], events: [true, true])
        }
        #expect(throws: StatisticsError.lengthMismatch(method: "KaplanMeier", first: "times", firstCount: 2, second: "events", secondCount: 1)) {
            try KaplanMeier(times: [1, 2], events: [true])
        }
        #expect(throws: StatisticsError.self) { try KaplanMeier(times: [], events: []) }
        #expect(throws: StatisticsError.self) { try KaplanMeier(times: [.infinity], events: [true]) }
    }
}

@Suite struct LogRankTests {
    @Test func matchesLifelinesOnTiedData() throws {
        let test = try LogRankTest(timesA: TiedData.timesA, eventsA: TiedData.eventsA,
                                   timesB: TiedData.timesB, eventsB: TiedData.eventsB)
        expectClose(test.chiSquare, 0.12070014843108581, rtol: 1e-12, "χ²")
        expectClose(test.pValue, 0.7282763593049832, rtol: 1e-12, "p")
        expectClose(test.expectedA + test.expectedB, Double(test.observedA + test.observedB), rtol: 1e-15, "E sum")
    }

    @Test func matchesLifelinesOnStrongEffect() throws {
        let test = try LogRankTest(timesA: StrongEffectData.timesA, eventsA: StrongEffectData.eventsA,
                                   timesB: StrongEffectData.timesB, eventsB: StrongEffectData.eventsB)
        expectClose(test.chiSquare, 18.556175031836197, rtol: 1e-12, "χ²")
        expectClose(test.pValue, 1.64969938089196e-05, rtol: 1e-11, "p")
    }

    @Test func noEventsGivesNaN() throws {
        let test = try LogRankTest(timesA: [1, 2], eventsA: [false, false], timesB: [3], eventsB: [false])
        #expect(test.chiSquare.isNaN && test.pValue.isNaN)
    }
}

@Suite struct CoxPHTests {
    static func fit(_ tA: [Double], _ eA: [Bool], _ tB: [Double], _ eB: [Bool]) throws -> CoxPH {
        try CoxPH(times: tA + tB, events: eA + eB, group: Array(repeating: true, count: tA.count) + Array(repeating: false, count: tB.count))
    }

    // Reference: Efron's partial likelihood maximised by Newton's method in mpmath at 40 digits (statsmodels
    // PHReg(ties="efron") agrees to 1e-15; lifelines CoxPHFitter stops 2e-8 short of the optimum on these data).
    @Test func matchesConvergedEfronOnTiedData() throws {
        let cox = try Self.fit(TiedData.timesA, TiedData.eventsA, TiedData.timesB, TiedData.eventsB)
        // Newton converged to 1e-12 in β: 1e-10 relative on derived quantities.
        expectClose(cox.coefficient, -0.10444792453159521216, rtol: 1e-10, "β")
        expectClose(cox.standardError, 0.30978505166791515288, rtol: 1e-10, "SE")
        expectClose(cox.logLikelihood, -130.88869651003599109, rtol: 1e-12, "log-likelihood")
        expectClose(cox.hazardRatio, 0.9008217068977916, rtol: 1e-10, "HR")
        expectClose(cox.interval.lower, 0.49085060281031884, rtol: 1e-10, "HR lower")
        expectClose(cox.interval.upper, 1.6532112683007822, rtol: 1e-10, "HR upper")
        expectClose(cox.pValue, 0.7359943508948777, rtol: 1e-10, "Wald p")
        expectClose(cox.likelihoodRatioPValue, 0.7358371607276128, rtol: 1e-9, "LRT p")
    }

    // Reference: lifelines CoxPHFitter().fit(df, "T", "E", fit_options=dict(precision=1e-14)) — summary coef,
    // se(coef), exp(coef), exp(coef) lower/upper 95%, p, log_likelihood_, log_likelihood_ratio_test().p_value.
    @Test func matchesLifelinesOnStrongEffect() throws {
        let cox = try Self.fit(StrongEffectData.timesA, StrongEffectData.eventsA, StrongEffectData.timesB, StrongEffectData.eventsB)
        expectClose(cox.coefficient, -1.2484682606458672, rtol: 1e-10, "β")
        expectClose(cox.standardError, 0.303848154437749, rtol: 1e-10, "SE")
        expectClose(cox.hazardRatio, 0.2869439838067843, rtol: 1e-10, "HR")
        expectClose(cox.interval.lower, 0.15818347268673053, rtol: 1e-10, "HR lower")
        expectClose(cox.interval.upper, 0.5205148707663633, rtol: 1e-10, "HR upper")
        expectClose(cox.pValue, 3.976241933393877e-05, rtol: 1e-9, "Wald p")
        expectClose(cox.logLikelihood, -168.75786488404316, rtol: 1e-12, "log-likelihood")
        expectClose(cox.likelihoodRatioPValue, 3.138290279316021e-05, rtol: 1e-9, "LRT p")
    }

    @Test func groupWithoutEventsIsNotEstimable() {
        #expect(throws: StatisticsError.notEstimable(method: "CoxPH", reason: "group 'true' has no events, the hazard ratio is 0 or infinite")) {
            try CoxPH(times: [1, 2, 3, 4], events: [false, false, true, true], group: [true, true, false, false])
        }
        #expect(throws: StatisticsError.self) { try CoxPH(times: [1, 2], events: [true, true], group: [true, true]) }
        #expect(throws: StatisticsError.self) { try CoxPH(times: [1, 2], events: [true, true], group: [true]) }
    }
}
