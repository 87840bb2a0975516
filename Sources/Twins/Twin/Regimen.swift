import Foundation
import Simulation
import Yams

/// A candidate treatment for a twin: treatment inputs set from the start, and a schedule of doses.
///
/// YAML (a list under `regimens:`):
/// ```yaml
/// regimens:
///   - name: untreated
///   - name: early-antiviral
///     set: {eps_antiviral: 0.9, t_treat: 2}      # treatment inputs, set before the simulation starts
///   - name: two-boluses
///     doses:
///       - {target: CA, time: 6, amount: 0.1}                          # bolus (default kind)
///       - {target: ca_infusion, time: 0, amount: 0.04, kind: set}     # switch an input at a time
///       - {target: CA, time: 0, amount: 1, kind: infusion, duration: 24}
/// optimise:                                       # optional: one continuous choice within bounds
///   base: early-antiviral                         # the regimen to vary
///   input: t_treat
///   lower: 0
///   upper: 6
/// ```
public struct Regimen: Codable, Hashable, Sendable {
    public var name: String
    /// Treatment inputs set before the simulation (input id → value).
    public var settings: [String: Double]
    public var schedule: [Dose]

    public init(name: String, settings: [String: Double] = [:], schedule: [Dose] = []) {
        self.name = name
        self.settings = settings
        self.schedule = schedule
    }

    /// The doses, checked against the model (targets must be states or constants; checked again by the solver).
    func doses(for model: PatientModel) throws -> [Dose] {
        for id in settings.keys where model.compiled.inputIndex(of: id) == nil {
            throw TwinError.invalidRegimen("\(name): unknown input \(id)")
        }
        return schedule
    }

    /// Writes the settings into a problem's inputs.
    func applySettings(to problem: inout SimulationProblem) throws {
        for (id, value) in settings.sorted(by: { $0.key < $1.key }) { try problem.set(id, to: value) }
    }
}

/// A continuous regimen choice to optimise: one input of a base regimen within bounds.
public struct RegimenSearch: Codable, Hashable, Sendable {
    public var base: String
    public var input: String
    public var lower: Double
    public var upper: Double
}

/// The options file of `twin patient treat`.
public struct TreatmentOptions: Sendable {
    public var regimens: [Regimen]
    public var search: RegimenSearch?

    /// Reads the YAML above; errors name the file, line and key.
    public static func read(yaml: String, file: String = "<regimens>") throws -> TreatmentOptions {
        func fail(_ node: Node?, _ message: String) -> TwinError {
            .invalidRegimen("\(file):\(node?.mark?.line ?? 0): \(message)")
        }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw fail(nil, "empty file") }
            root = node
        } catch let e as TwinError { throw e } catch { throw fail(nil, "not valid YAML: \(error)") }
        guard let top = root.mapping else { throw fail(root, "expected a mapping with 'regimens'") }
        for (k, _) in top where !["regimens", "optimise", "optimize"].contains(k.string ?? "") {
            throw fail(k, "unknown key '\(k.string ?? "?")'")
        }
        guard let list = top["regimens"]?.sequence, !list.isEmpty else { throw fail(top["regimens"] ?? root, "'regimens' must be a non-empty list") }
        func number(_ node: Node?, _ what: String) throws -> Double {
            guard let node, let s = node.string, let v = Double(s), v.isFinite else { throw fail(node, "\(what) must be a finite number") }
            return v
        }
        var regimens: [Regimen] = []
        for item in list {
            guard let m = item.mapping else { throw fail(item, "each regimen must be a mapping") }
            for (k, _) in m where !["name", "set", "doses"].contains(k.string ?? "") { throw fail(k, "unknown key '\(k.string ?? "?")'") }
            guard let name = m["name"]?.string, !name.isEmpty else { throw fail(item, "regimen without a name") }
            guard !regimens.contains(where: { $0.name == name }) else { throw fail(item, "duplicate regimen name \(name)") }
            var settings: [String: Double] = [:]
            if let set = m["set"] {
                guard let sm = set.mapping else { throw fail(set, "'set' must map input ids to values") }
                for (k, v) in sm { settings[k.string ?? ""] = try number(v, "set.\(k.string ?? "")") }
            }
            var doses: [Dose] = []
            if let dl = m["doses"] {
                guard let seq = dl.sequence else { throw fail(dl, "'doses' must be a list") }
                for d in seq {
                    guard let dm = d.mapping else { throw fail(d, "each dose must be a mapping") }
                    for (k, _) in dm where !["target", "time", "amount", "kind", "duration"].contains(k.string ?? "") {
                        throw fail(k, "unknown dose key '\(k.string ?? "?")'")
                    }
                    guard let target = dm["target"]?.string else { throw fail(d, "dose without a target") }
                    let kind: Dose.Kind
                    switch dm["kind"]?.string ?? "bolus" {
                    case "bolus": kind = .bolus
                    case "set": kind = .set
                    case "infusion":
                        let duration = try number(dm["duration"], "infusion duration")
                        guard duration > 0 else { throw fail(dm["duration"], "infusion duration must be positive") }
                        kind = .infusion(duration: duration)
                    case let other: throw fail(dm["kind"], "dose kind must be bolus, infusion or set, not \(other)")
                    }
                    let time = try number(dm["time"], "dose time")
                    guard time >= 0 else { throw fail(dm["time"], "dose time must be ≥ 0") }
                    doses.append(Dose(target: target, time: time, amount: try number(dm["amount"], "dose amount"), kind: kind))
                }
            }
            regimens.append(Regimen(name: name, settings: settings, schedule: doses))
        }
        var search: RegimenSearch?
        if let o = top["optimise"] ?? top["optimize"] {
            guard let om = o.mapping else { throw fail(o, "'optimise' must be a mapping") }
            guard let base = om["base"]?.string, regimens.contains(where: { $0.name == base }) else {
                throw fail(o, "optimise.base must name one of the regimens")
            }
            guard let input = om["input"]?.string else { throw fail(o, "optimise.input is required") }
            let lower = try number(om["lower"], "optimise.lower"), upper = try number(om["upper"], "optimise.upper")
            guard lower < upper else { throw fail(o, "optimise.lower must be below optimise.upper") }
            search = RegimenSearch(base: base, input: input, lower: lower, upper: upper)
        }
        return TreatmentOptions(regimens: regimens, search: search)
    }
}
