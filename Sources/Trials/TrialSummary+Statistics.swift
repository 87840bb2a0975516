import Sampling
import Statistics

extension TrialSummary {
    /// Kaplan–Meier median time to event (relative to the follow-up start) with its pointwise survival at the end.
    func survival(times: [Double], events: [Bool]) -> [(String, JSONValue)] {
        guard let km = try? KaplanMeier(times: times.map { $0 - plan.spec.followUp.start }, events: events) else { return [] }
        return [("km_median", .number(km.median)),
                ("km_survival_at_end", .number(km.survival(at: plan.spec.followUp.end - plan.spec.followUp.start)))]
    }

    /// Comparisons of every other arm (A) with the reference arm (B), endpoint by endpoint: Welch difference in
    /// means, risk difference and ratio, log-rank and Cox hazard ratio. A comparison that cannot be estimated
    /// (too few values, no events) carries `error` with the reason instead of numbers.
    func comparisons(_ rows: [PatientRow]) -> [JSONValue] {
        let b = plan.spec.referenceArm
        return plan.spec.arms.indices.filter { $0 != b }.map { a in
            var k = 0
            var items: [(String, JSONValue)] = []
            for e in plan.spec.endpoints {
                items.append((e.name, compare(rows, endpoint: e, column: k, a: a, b: b)))
                k += e.isTimeToEvent ? 2 : 1
            }
            return .object([("arm", .string(plan.spec.arms[a].name)), ("reference", .string(plan.spec.arms[b].name)),
                            ("endpoints", .object(items))])
        }
    }

    func compare(_ rows: [PatientRow], endpoint e: EndpointSpec, column k: Int, a: Int, b: Int) -> JSONValue {
        let va = values(rows, arm: a, column: k), vb = values(rows, arm: b, column: k)
        do {
            if e.isBinary {
                let c = try ProportionComparison(successesA: va.filter { $0 == 1 }.count, totalA: va.count,
                                                 successesB: vb.filter { $0 == 1 }.count, totalB: vb.count)
                return .object([("risk_difference", .number(c.riskDifference)),
                                ("risk_difference_ci", interval(c.riskDifferenceNewcombe)),
                                ("risk_ratio", .number(c.riskRatio)), ("risk_ratio_ci", interval(c.riskRatioInterval)),
                                ("p_value", .number(c.chiSquarePValue)), ("fisher_p_value", .number(c.fisherExactPValue))])
            }
            if e.isTimeToEvent {
                let (ta, ea) = survivalData(rows, arm: a, column: k), (tb, eb) = survivalData(rows, arm: b, column: k)
                let logRank = try LogRankTest(timesA: ta, eventsA: ea, timesB: tb, eventsB: eb)
                var pairs: [(String, JSONValue)] = [("log_rank_chi_square", .number(logRank.chiSquare)),
                                                    ("log_rank_p_value", .number(logRank.pValue))]
                do {
                    let cox = try CoxPH(times: ta + tb, events: ea + eb, group: ta.map { _ in true } + tb.map { _ in false })
                    pairs += [("hazard_ratio", .number(cox.hazardRatio)), ("hazard_ratio_ci", interval(cox.interval)),
                              ("cox_p_value", .number(cox.pValue))]
                } catch {
                    pairs.append(("hazard_ratio_error", .string("\(error)")))
                }
                return .object(pairs)
            }
            let w = try WelchTest(a: va, b: vb)
            return .object([("difference", .number(w.difference)), ("difference_ci", interval(w.interval)),
                            ("p_value", .number(w.pValue))])
        } catch {
            return .object([("error", .string("\(error)"))])
        }
    }

    func survivalData(_ rows: [PatientRow], arm: Int, column k: Int) -> ([Double], [Bool]) {
        let mine = rows.filter { $0.arm == arm && $0.status == "success" && $0.endpoints[k].isFinite }
        return (mine.map { $0.endpoints[k] - plan.spec.followUp.start }, mine.map { $0.endpoints[k + 1] == 1 })
    }

    func interval(_ c: ConfidenceInterval) -> JSONValue {
        .object([("lower", .number(c.lower)), ("upper", .number(c.upper)), ("level", .number(c.level))])
    }

    /// The power curve over the spec's sample sizes for the power endpoint, comparing the first arm that is not
    /// the reference with the reference: each replicate trial of total size n resamples (with replacement,
    /// stream (seed, replicate, "power/n=<n>")) n·r_A/(r_A + r_B) successful rows of arm A and the rest of arm B,
    /// and is significant when the endpoint's test (Welch, χ², log-rank) has p < alpha.
    func power(_ rows: [PatientRow]) -> JSONValue? {
        guard let spec = plan.spec.power, plan.spec.arms.count >= 2,
              let e = plan.spec.endpoints.firstIndex(where: { $0.name == spec.endpoint }) else { return nil }
        let endpoint = plan.spec.endpoints[e]
        let k = plan.spec.endpoints[..<e].reduce(0) { $0 + ($1.isTimeToEvent ? 2 : 1) }
        let b = plan.spec.referenceArm, a = b == 0 ? 1 : 0
        let ra = plan.spec.arms[a].ratio, rb = plan.spec.arms[b].ratio
        let poolA = rows.filter { $0.arm == a && $0.status == "success" }, poolB = rows.filter { $0.arm == b && $0.status == "success" }
        guard !poolA.isEmpty, !poolB.isEmpty else { return nil }
        do {
            let curve = try PowerCurve.estimate(sizes: plan.spec.sampleSizes, replicates: spec.replicates, seed: plan.spec.seed) { n, rng in
                let na = max(1, n * ra / (ra + rb)), nb = max(1, n - na)
                let sa = (0..<na).map { _ in poolA[Int(rng.next() % UInt64(poolA.count))] }
                let sb = (0..<nb).map { _ in poolB[Int(rng.next() % UInt64(poolB.count))] }
                return significant(endpoint, column: k, sa, sb, alpha: spec.alpha)
            }
            return .object([("endpoint", .string(spec.endpoint)), ("arm", .string(plan.spec.arms[a].name)),
                            ("reference", .string(plan.spec.arms[b].name)), ("alpha", .number(spec.alpha)),
                            ("replicates", .integer(spec.replicates)),
                            ("points", .array(curve.points.map { p in
                                .object([("size", .integer(p.size)), ("power", .number(p.power)),
                                         ("significant", .integer(p.significant)), ("ci", interval(p.interval))])
                            }))])
        } catch {
            return .object([("error", .string("\(error)"))])
        }
    }

    func significant(_ e: EndpointSpec, column k: Int, _ a: [PatientRow], _ b: [PatientRow], alpha: Double) -> Bool {
        let p: Double?
        if e.isBinary {
            p = try? ProportionComparison(successesA: a.filter { $0.endpoints[k] == 1 }.count, totalA: a.count,
                                          successesB: b.filter { $0.endpoints[k] == 1 }.count, totalB: b.count).chiSquarePValue
        } else if e.isTimeToEvent {
            p = try? LogRankTest(timesA: a.map { $0.endpoints[k] - plan.spec.followUp.start }, eventsA: a.map { $0.endpoints[k + 1] == 1 },
                                 timesB: b.map { $0.endpoints[k] - plan.spec.followUp.start }, eventsB: b.map { $0.endpoints[k + 1] == 1 }).pValue
        } else {
            p = try? WelchTest(a: a.map { $0.endpoints[k] }, b: b.map { $0.endpoints[k] }).pValue
        }
        guard let p, p.isFinite else { return false }
        return p < alpha
    }
}
