import Cohorts

/// The `patients.csv` format: one row per virtual patient and arm, sorted by (id, arm).
///
/// Header: `id,arm,attempts,<covariates>,<parameters>,<events>,<selected outputs>,<endpoints>,status`.
/// Numbers are Swift's shortest round-trip decimals (parsing and reprinting gives the same bytes), missing
/// values are empty, two-level covariates print their level names.
public struct PatientTable: Sendable {
    public let plan: TrialPlan

    public init(plan: TrialPlan) { self.plan = plan }

    public var header: [String] {
        ["id", "arm", "attempts"] + plan.sampler.covariateNames + plan.sampler.parameterIds
            + plan.spec.events.map { "event_" + $0.name }
            + (plan.spec.selection?.targets ?? []).map { "selected_\($0.observable)_t\(format($0.time))" }
            + plan.endpointColumns + ["status"]
    }

    public func csv(_ rows: [PatientRow]) -> String {
        var out = header.joined(separator: ",") + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }

    func line(_ r: PatientRow) -> String {
        var fields = ["\(r.id)", plan.spec.arms[r.arm].name, "\(r.attempts)"]
        for (k, c) in plan.spec.population.covariates.enumerated() {
            switch c.kind {
            case .continuous: fields.append(format(r.covariates[k]))
            case .binary(_, let one, let zero): fields.append(r.covariates[k] == 1 ? one : zero)
            }
        }
        fields += r.parameters.map(format) + r.eventTimes.map(format) + r.selected.map(format) + r.endpoints.map(format)
        fields.append(r.status)
        return fields.joined(separator: ",")
    }

    /// Parses a `patients.csv` written for this plan.
    /// - Throws: `TrialError` naming the file and line of a row that does not fit the plan.
    public func parse(_ text: String, file: String) throws -> [PatientRow] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let first = lines.first, first == header.joined(separator: ",") else {
            throw TrialError("the header does not match the trial spec (was it written by another spec?)", file: file, line: 1)
        }
        lines.removeFirst()
        let nCov = plan.sampler.covariateNames.count, nPar = plan.sampler.parameterIds.count
        let nEv = plan.spec.events.count, nSel = plan.spec.selection?.targets.count ?? 0, nEnd = plan.endpointColumns.count
        return try lines.enumerated().map { n, l in
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func bad(_ why: String) -> TrialError { TrialError(why, file: file, line: n + 2) }
            guard f.count == header.count else { throw bad("expected \(header.count) fields, found \(f.count)") }
            guard let id = Int(f[0]), id >= 0 else { throw bad("bad id '\(f[0])'") }
            guard let arm = plan.spec.arms.firstIndex(where: { $0.name == f[1] }) else { throw bad("unknown arm '\(f[1])'") }
            guard let attempts = Int(f[2]) else { throw bad("bad attempts '\(f[2])'") }
            var k = 3
            func numbers(_ count: Int) throws -> [Double] {
                defer { k += count }
                return try f[k..<(k + count)].map { s in
                    if s.isEmpty { return .nan }
                    guard let v = Double(s) else { throw bad("'\(s)' is not a number") }
                    return v
                }
            }
            var covariates: [Double] = []
            for c in plan.spec.population.covariates {
                switch c.kind {
                case .continuous: covariates += try numbers(1)
                case .binary(_, let one, let zero):
                    guard f[k] == one || f[k] == zero else { throw bad("'\(f[k])' is not \(one) or \(zero)") }
                    covariates.append(f[k] == one ? 1 : 0)
                    k += 1
                }
            }
            _ = nCov
            return PatientRow(id: id, arm: arm, attempts: attempts, covariates: covariates, parameters: try numbers(nPar),
                              eventTimes: try numbers(nEv), selected: try numbers(nSel), endpoints: try numbers(nEnd),
                              status: f[k])
        }
    }
}

/// Shortest round-trip decimal; empty for NaN.
func format(_ x: Double) -> String { x.isNaN ? "" : "\(x)" }
