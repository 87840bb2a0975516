import Cohorts
import Statistics

/// `summary.json`: per-arm summaries of every endpoint, comparisons with the reference arm, the selection's
/// acceptance and fit, the power curve and provenance — a pure function of the spec and the rows (sorted by
/// id and arm), so a merged trial's summary is byte-identical to a single run's.
public struct TrialSummary: Sendable {
    public let plan: TrialPlan
    public let programVersion: String

    public init(plan: TrialPlan, programVersion: String) {
        self.plan = plan
        self.programVersion = programVersion
    }

    public func json(_ rows: [PatientRow]) -> JSONValue {
        var top: [(String, JSONValue)] = [("trial", .string(plan.spec.name))]
        top.append(("provenance", .object([
            ("program", .string(programVersion)),
            ("model", .string(plan.spec.model)),
            ("model_hash", .string(plan.compiled.modelHash)),
            ("seed", .string("\(plan.spec.seed)")),
            ("spec_hash", .string(plan.specHash)),
            ("design", .string(plan.spec.design.rawValue)),
            ("patients", .integer(Set(rows.map(\.id)).count)),
            ("solver", .object([("method", .string(plan.spec.solver.method.rawValue)),
                                ("rtol", .number(plan.spec.solver.relativeTolerance)),
                                ("atol", .number(plan.spec.solver.absoluteTolerance))])),
        ])))
        top.append(("arms", .array(plan.spec.arms.indices.map { arm(rows, $0) })))
        top.append(("comparisons", .array(comparisons(rows))))
        if let s = selection(rows) { top.append(("selection", s)) }
        if let p = power(rows) { top.append(("power", p)) }
        return .object(top)
    }

    /// Endpoint values of successful rows of `arm` in column `k` of `endpointColumns`.
    func values(_ rows: [PatientRow], arm: Int, column k: Int) -> [Double] {
        rows.filter { $0.arm == arm && $0.status == "success" }.map { $0.endpoints[k] }.filter(\.isFinite)
    }

    func arm(_ rows: [PatientRow], _ a: Int) -> JSONValue {
        let mine = rows.filter { $0.arm == a }
        var statuses: [String: Int] = [:]
        for r in mine { statuses[r.status, default: 0] += 1 }
        var endpoints: [(String, JSONValue)] = []
        var k = 0
        for e in plan.spec.endpoints {
            let v = values(rows, arm: a, column: k)
            if e.isBinary {
                let responders = v.filter { $0 == 1 }.count
                endpoints.append((e.name, .object([("type", .string("binary")), ("n", .integer(v.count)),
                                                   ("responders", .integer(responders)),
                                                   ("proportion", .number(v.isEmpty ? .nan : Double(responders) / Double(v.count)))])))
            } else if e.isTimeToEvent {
                let flags = values(rows, arm: a, column: k + 1)
                endpoints.append((e.name, .object([("type", .string("time_to_event")), ("n", .integer(v.count)),
                                                   ("events", .integer(flags.filter { $0 == 1 }.count)),
                                                   ("censored", .integer(flags.filter { $0 == 0 }.count))]
                                                  + survival(times: v, events: flags.map { $0 == 1 }))))
            } else {
                endpoints.append((e.name, summary(v)))
            }
            k += e.isTimeToEvent ? 2 : 1
        }
        return .object([("name", .string(plan.spec.arms[a].name)), ("rows", .integer(mine.count)),
                        ("status", .object(statuses.keys.sorted().map { ($0, .integer(statuses[$0]!)) })),
                        ("endpoints", .object(endpoints))])
    }

    func summary(_ v: [Double]) -> JSONValue {
        let s = Summary(v)
        return .object([("type", .string("continuous")), ("n", .integer(s.count)), ("mean", .number(s.mean)),
                        ("sd", .number(s.standardDeviation)), ("min", .number(s.minimum)), ("q1", .number(s.lowerQuartile)),
                        ("median", .number(s.median)), ("q3", .number(s.upperQuartile)), ("max", .number(s.maximum))])
    }

    func selection(_ rows: [PatientRow]) -> JSONValue? {
        guard let spec = plan.spec.selection else { return nil }
        var seen = Set<Int>()
        var attempts = 0, eligible = 0
        var selected = [[Double]](repeating: [], count: spec.targets.count)
        for r in rows where seen.insert(r.id).inserted {
            attempts += r.attempts
            if r.status != "not_eligible" {
                eligible += 1
                for k in spec.targets.indices { selected[k].append(r.selected[k]) }
            }
        }
        let fits: [JSONValue] = spec.targets.enumerated().map { k, t in
            let fit = DistributionFit(sample: selected[k], target: t.distribution)
            return .object([("observable", .string(t.observable)), ("time", .number(t.time)), ("n", .integer(fit.count)),
                            ("ks_distance", .number(fit.ksDistance)),
                            ("probabilities", .array(fit.probabilities.map(JSONValue.number))),
                            ("selected_quantiles", .array(fit.sampleQuantiles.map(JSONValue.number))),
                            ("target_quantiles", .array(fit.targetQuantiles.map(JSONValue.number)))])
        }
        return .object([("candidates", .integer(attempts)), ("accepted", .integer(eligible)),
                        ("acceptance_rate", .number(attempts == 0 ? .nan : Double(eligible) / Double(attempts))),
                        ("fit", .array(fits))])
    }
}
