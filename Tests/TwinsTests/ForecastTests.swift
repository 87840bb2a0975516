import Foundation
import Simulation
import Testing
@testable import Twins

@Suite struct ForecastTests {
    @Test func bandsAreOrderedAndReproducible() throws {
        let data = try Synthetic.observations(truth: Synthetic.truth(7, seed: 1), times: [1, 2, 3], seed: 1, index: 7)
        let fit = try IndividualFit.map(try TwinObjective(model: Synthetic.model, observations: data))
        let a = try Forecast.make(model: Synthetic.model, posterior: fit, horizon: 8, points: 17, draws: 100, seed: 4)
        let b = try Forecast.make(model: Synthetic.model, posterior: fit, horizon: 8, points: 17, draws: 100, seed: 4, threads: 2)
        #expect(a.csv() == b.csv())
        let column = Synthetic.model.observables.firstIndex(of: "log10_titre")!
        for t in a.times.indices {
            let q = a.latent[column].map { $0[t] }
            #expect(q == q.sorted())
            // the predictive band adds noise of SD 0.3, so its 90 % width is at least the noise's own
            // 2 · 1.645 · 0.3 ≈ 0.99, up to the Monte-Carlo error of 100-draw quantiles (SE ≈ 0.09; 0.7 is 3 SE below)
            #expect(a.predictive[column][4][t] - a.predictive[column][0][t] > 0.7)
        }
        #expect(a.csv().hasPrefix("time,observable,kind,q05,q25,q50,q75,q95\n"))
    }

    @Test func aBlockingAntiviralLowersTheForecast() throws {
        let data = try Synthetic.observations(truth: Synthetic.truth(8, seed: 2), times: [0.5, 1, 1.5], seed: 2, index: 8)
        let fit = try IndividualFit.map(try TwinObjective(model: Synthetic.model, observations: data))
        let treated = Regimen(name: "antiviral", settings: ["eps_antiviral": 0.99, "t_treat": 1.5])
        let column = Synthetic.model.observables.firstIndex(of: "log10_titre")!
        let off = try Forecast.make(model: Synthetic.model, posterior: fit, horizon: 4, points: 9, draws: 50, seed: 3)
        let on = try Forecast.make(model: Synthetic.model, posterior: fit, horizon: 4, points: 9, draws: 50, seed: 3, regimen: treated)
        #expect(on.regimen == "antiviral")
        #expect(on.latent[column][2][8] < off.latent[column][2][8] - 1)
    }
}

@Suite struct TreatmentRankingTests {
    @Test func earlierFullCourseWinsAndProbabilitiesSumToOne() throws {
        let data = try Synthetic.observations(truth: Synthetic.truth(9, seed: 8), times: [0.5, 1], seed: 8, index: 9)
        let fit = try IndividualFit.map(try TwinObjective(model: Synthetic.model, observations: data))
        let regimens = [
            Regimen(name: "none"),
            Regimen(name: "late", settings: ["eps_antiviral": 0.99, "t_treat": 3]),
            Regimen(name: "early", settings: ["eps_antiviral": 0.99, "t_treat": 1]),
        ]
        let ranking = try TreatmentRanking.rank(model: Synthetic.model, posterior: fit, regimens: regimens,
                                                measure: try OutcomeMeasure(parsing: "auc:infected_cells"), horizon: 8,
                                                points: 81, draws: 60, seed: 5)
        #expect(ranking.map(\.regimen.name) == ["early", "late", "none"])
        #expect(abs(ranking.reduce(0) { $0 + $1.probabilityBest } - 1) < 1e-12)
        #expect(ranking[0].probabilityBest > 0.9)
    }

    @Test func outcomeMeasuresOnAKnownTrajectory() throws {
        let t = [0.0, 1, 2, 3], y = [0.0, 2, 2, 0]
        #expect(try OutcomeMeasure(parsing: "auc:x").evaluate(times: t, values: y) == 4)
        #expect(try OutcomeMeasure(parsing: "peak:x").evaluate(times: t, values: y) == 2)
        #expect(try OutcomeMeasure(parsing: "final:x").evaluate(times: t, values: y) == 0)
        // above 1 from t = 0.5 to t = 2.5
        #expect(abs(try OutcomeMeasure(parsing: "time_above:x:1").evaluate(times: t, values: y) - 2) < 1e-12)
        #expect(throws: TwinError.self) { try OutcomeMeasure(parsing: "mean:x") }
        #expect(throws: TwinError.self) { try OutcomeMeasure(parsing: "time_above:x") }
    }

    @Test func optimisedStartTimeIsTheEarliestForAFullCourse() throws {
        let data = try Synthetic.observations(truth: Synthetic.truth(10, seed: 8), times: [0.5, 1], seed: 8, index: 10)
        let fit = try IndividualFit.map(try TwinObjective(model: Synthetic.model, observations: data))
        let base = Regimen(name: "antiviral", settings: ["eps_antiviral": 0.99, "t_treat": 2])
        let best = try TreatmentRanking.optimise(model: Synthetic.model, posterior: fit, base: base,
                                                 search: RegimenSearch(base: "antiviral", input: "t_treat", lower: 1, upper: 4),
                                                 measure: try OutcomeMeasure(parsing: "auc:infected_cells"), horizon: 8,
                                                 points: 81, draws: 20, seed: 5, evaluations: 12)
        #expect(best.value == 1)
    }

    @Test func regimenFileErrorsNameTheLine() {
        let yaml = "regimens:\n  - name: a\n    doses:\n      - {target: V, time: -1, amount: 1}\n"
        #expect(throws: TwinError.invalidRegimen("r.yaml:4: dose time must be ≥ 0")) {
            try TreatmentOptions.read(yaml: yaml, file: "r.yaml")
        }
        #expect(throws: TwinError.self) { try TreatmentOptions.read(yaml: "regimens:\n  - name: a\n    bogus: 1\n") }
    }
}

@Suite struct TwinValidationTests {
    /// A reduced version of `twin patient validate` (CI runs the full 200-patient check in release): 24 synthetic
    /// patients, so the 90 % coverage over 24 × 3..6 later times must lie within binomial error of 0.90.
    @Test func forecastIntervalsAreCalibratedAndShrink() throws {
        var validation = try TwinValidation.baccamDefault(draws: 100)
        validation.regimens = []
        let report = try validation.run(patients: 24, seed: 2026, threads: 2)
        #expect(report.failedFits == 0)
        for level in report.levels {
            let se = (0.9 * 0.1 / Double(level.pairs)).squareRoot()
            // pairs within a patient are correlated, so allow 4 binomial SEs
            #expect(abs(level.coverage90 - 0.9) < 4 * se + 0.02, "k=\(level.observations): \(level.coverage90)")
        }
        #expect(report.levels[2].meanWidth90 < report.levels[0].meanWidth90)
    }
}
