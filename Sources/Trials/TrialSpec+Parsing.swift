import Cohorts
import ModelIR
import Simulation
import Yams

extension TrialSpec {
    /// Parses a trial spec (YAML, format in docs/trial-spec.md).
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - file: the file name used in error messages.
    /// - Throws: `TrialError` naming the line and column of an unknown key, a missing or ill-typed value, an
    ///   impossible value (negative sd, sizes below 1, …) or a YAML syntax error.
    public static func parse(_ text: String, file: String? = nil) throws -> TrialSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw TrialError("the trial spec is empty", file: file) }
            root = node
        } catch let error as TrialError {
            throw error
        } catch let error as YamlError {
            throw TrialError("YAML syntax error: \(error)", file: file)
        }
        return try SpecParser(file: file).trial(SpecNode(node: root, file: file))
    }
}

/// Reads the spec's sections (one method per section).
struct SpecParser {
    let file: String?

    func trial(_ node: SpecNode) throws -> TrialSpec {
        let m = try node.mapping("the trial spec")
        try m.allow(["name", "model", "seed", "sample_size", "design", "solver", "observables", "population", "events", "arms",
                     "follow_up", "endpoints", "reference_arm", "power", "trajectory"])
        let name = try m.optional("name")?.string("name") ?? "trial"
        let modelNode = try m.required("model")
        let model = try modelNode.string("model")
        let seedNode = try m.required("seed")
        guard let seed = UInt64(try seedNode.string("seed")) else { throw seedNode.error("seed must be a whole number from 0 to 2^64-1") }
        let sizes = try sampleSizes(try m.required("sample_size"))
        var design = TrialSpec.Design.parallel
        if let d = m.optional("design") {
            guard let v = TrialSpec.Design(rawValue: try d.string("design")) else { throw d.error("design must be 'parallel' or 'matched'") }
            design = v
        }
        let solver = try m.optional("solver").map(solverOptions) ?? SolverOptions()
        let observables = try m.optional("observables").map(observableList) ?? []
        var population = PopulationSpec()
        var locations: [String: SpecLocation] = [:]
        var inclusion: [Criterion] = [], exclusion: [Criterion] = []
        var selection: SelectionSpec?
        var maxAttempts = 100
        if let p = m.optional("population") {
            let pm = try p.mapping("population")
            if let params = pm.optional("parameters") {
                for (id, keyNode, value) in try params.mapping("population.parameters").all() {
                    population.parameters.append(.init(id: id, distribution: try distribution(value, of: id)))
                    locations[id] = keyNode.location
                }
            }
            if let cs = pm.optional("correlations") {
                for c in try cs.sequence("population.correlations") {
                    let items = try c.sequence("a correlation ([first, second, value])")
                    guard items.count == 3 else { throw c.error("a correlation is [first, second, value]") }
                    let v = try items[2].double("correlation")
                    guard v > -1, v < 1 else { throw items[2].error("a correlation must be strictly between -1 and 1, got \(v)") }
                    population.correlations.append(.init(first: try items[0].string("parameter"), second: try items[1].string("parameter"), value: v))
                    locations["correlation:\(population.correlations.count - 1)"] = c.location
                }
            }
            if let cov = pm.optional("covariates") {
                for (id, keyNode, value) in try cov.mapping("population.covariates").all() {
                    population.covariates.append(try covariate(id, value))
                    locations["covariate:\(id)"] = keyNode.location
                }
            }
            if let eff = pm.optional("effects") {
                for (id, keyNode, value) in try eff.mapping("population.effects").all() {
                    population.effects.append(.init(parameter: id, formula: try expression(value, "the formula for \(id)")))
                    locations["effect:\(id)"] = keyNode.location
                }
            }
            inclusion = try pm.optional("inclusion").map { try criteria($0, "inclusion") } ?? []
            exclusion = try pm.optional("exclusion").map { try criteria($0, "exclusion") } ?? []
            selection = try pm.optional("selection").map(selectionSpec)
            maxAttempts = try pm.optional("max_attempts")?.int("max_attempts", minimum: 1) ?? 100
            try pm.finish()
        }
        let events = try m.optional("events").map(eventList) ?? []
        let armsNode = try m.required("arms")
        let arms = try armList(armsNode)
        let followUp = try followUpSpec(try m.required("follow_up"))
        let endpoints = try endpointList(try m.required("endpoints"))
        var reference = 0
        if let r = m.optional("reference_arm") {
            let name = try r.string("reference_arm")
            guard let k = arms.firstIndex(where: { $0.name == name }) else { throw r.error("reference_arm '\(name)' is not an arm (arms: \(arms.map(\.name).joined(separator: ", ")))") }
            reference = k
        }
        let power = try m.optional("power").map { try powerSpec($0, endpoints: endpoints) }
        let trajectory = try m.optional("trajectory").map(trajectorySpec)
        try m.finish()
        for (k, e) in events.enumerated() where events[..<k].contains(where: { $0.name == e.name }) {
            throw e.location.error("event '\(e.name)' is defined twice", file: file)
        }
        for arm in arms {
            for item in arm.regimen {
                if let r = item.relativeTo, !events.contains(where: { $0.name == r }) {
                    throw item.location.error("relative_to '\(r)' is not 'infection', 'start' or a defined event (events: \(events.map(\.name).joined(separator: ", ")))", file: file)
                }
                if item.at < 0, item.relativeTo != nil {
                    throw item.location.error("a dose relative to an event must be at or after it (at >= 0), got \(item.at)", file: file)
                }
            }
        }
        for e in endpoints {
            let times: [Double]
            switch e.kind {
            case .value(_, let t): times = [t]
            case .auc(_, let a, let b), .peak(_, let a, let b): times = [a, b]
            case .timeTo(_, _, _, let a): times = a > -Double.greatestFiniteMagnitude ? [a] : []
            case .responder: times = []
            }
            if let bad = times.first(where: { $0 < followUp.start || $0 > followUp.end }) {
                throw e.location.error("endpoint '\(e.name)': time \(bad) is outside the follow-up [\(followUp.start), \(followUp.end)]", file: file)
            }
        }
        return TrialSpec(name: name, model: model, modelLocation: modelNode.location, seed: seed, sampleSizes: sizes,
                         design: design, solver: solver, observables: observables, population: population,
                         populationLocations: locations, inclusion: inclusion, exclusion: exclusion, selection: selection,
                         maxAttempts: maxAttempts, events: events, arms: arms, followUp: followUp, endpoints: endpoints,
                         referenceArm: reference, power: power, trajectory: trajectory)
    }

    func sampleSizes(_ node: SpecNode) throws -> [Int] {
        if case .sequence = node.node {
            let sizes = try node.sequence("sample_size").map { try $0.int("a sample size", minimum: 1) }
            guard !sizes.isEmpty else { throw node.error("sample_size needs at least one size") }
            return sizes.sorted()
        }
        return [try node.int("sample_size", minimum: 1)]
    }

    func solverOptions(_ node: SpecNode) throws -> SolverOptions {
        let m = try node.mapping("solver")
        var o = SolverOptions()
        if let v = m.optional("method") {
            guard let method = SolverMethod(rawValue: try v.string("method")) else {
                throw v.error("solver method must be one of \(SolverMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            o.method = method
        }
        if let v = m.optional("rtol") { o.relativeTolerance = try v.positive("rtol") }
        if let v = m.optional("atol") { o.absoluteTolerance = try v.nonNegative("atol") }
        if let v = m.optional("max_steps") { o.maxSteps = try v.int("max_steps", minimum: 1) }
        try m.finish()
        return o
    }

    func observableList(_ node: SpecNode) throws -> [ObservableSpec] {
        try node.mapping("observables").all().map { id, keyNode, value in
            ObservableSpec(id: id, expression: try expression(value, "observable \(id)"), location: keyNode.location)
        }
    }

    func expression(_ node: SpecNode, _ what: String) throws -> MathExpression {
        let text = try node.string(what)
        do {
            return try ExpressionParser.parse(text)
        } catch let error as ModelError {
            throw node.error("\(what): \(error)")
        }
    }

    func distribution(_ node: SpecNode, of id: String) throws -> PopulationDistribution {
        let m = try node.mapping("the distribution of \(id)")
        let kindNode = try m.required("distribution")
        let kind = try kindNode.string("distribution")
        let shape: PopulationDistribution.Shape
        var lower = try m.optional("lower")?.double("lower")
        var upper = try m.optional("upper")?.double("upper")
        switch kind {
        case "lognormal", "log-normal":
            shape = .logNormal(median: try m.required("median").positive("median"), cv: try m.required("cv").positive("cv"))
        case "normal":
            shape = .normal(mean: try m.required("mean").double("mean"), sd: try m.required("sd").nonNegative("sd"))
        case "uniform":
            guard let l = lower, let u = upper else { throw m.error("a uniform distribution needs 'lower' and 'upper'") }
            shape = .uniform(lower: l, upper: u)
            lower = nil
            upper = nil
        default:
            throw kindNode.error("distribution must be lognormal, normal or uniform, got '\(kind)'")
        }
        try m.finish()
        do {
            return try PopulationDistribution(shape, lower: lower, upper: upper)
        } catch let error as CohortError {
            throw node.error("\(id): \(error)")
        }
    }

    func covariate(_ name: String, _ node: SpecNode) throws -> PopulationSpec.CovariateSpec {
        let m = try node.mapping("covariate \(name)")
        if m.has("distribution") {
            let d = try distribution(node, of: name)
            return .init(name: name, kind: .continuous(d))
        }
        let levels = m.all()
        guard levels.count == 1 || levels.count == 2 else {
            throw node.error("covariate \(name) needs a distribution or one level with its probability (e.g. female: 0.5)")
        }
        let p = try levels[0].value.double("probability of \(levels[0].key)")
        guard p >= 0, p <= 1 else { throw levels[0].value.error("a probability must be in [0, 1], got \(p)") }
        var other = name == "sex" && levels[0].key == "female" ? "male" : (name == "sex" && levels[0].key == "male" ? "female" : "not_\(levels[0].key)")
        if levels.count == 2 {
            let q = try levels[1].value.double("probability of \(levels[1].key)")
            guard abs(p + q - 1) < 1e-9 else { throw levels[1].value.error("the probabilities of \(name)'s levels must add up to 1") }
            other = levels[1].key
        }
        return .init(name: name, kind: .binary(probability: p, level1: levels[0].key, level0: other))
    }

    func criteria(_ node: SpecNode, _ what: String) throws -> [Criterion] {
        try node.sequence(what).map { c in
            if case .scalar = c.node {
                return Criterion(kind: .rule(try expression(c, "\(what) rule")), location: c.location)
            }
            let m = try c.mapping("an \(what) criterion")
            let id = try m.required("observable").string("observable")
            let time = try m.required("time").double("time")
            let (threshold, above) = try thresholdOf(m, c)
            try m.finish()
            return Criterion(kind: .observable(id: id, time: time, threshold: threshold, above: above), location: c.location)
        }
    }

    func thresholdOf(_ m: SpecMapping, _ node: SpecNode) throws -> (Double, Bool) {
        let a = m.optional("above"), b = m.optional("below")
        switch (a, b) {
        case (let a?, nil): return (try a.double("above"), true)
        case (nil, let b?): return (try b.double("below"), false)
        default: throw node.error("give exactly one of 'above' and 'below'")
        }
    }

    func selectionSpec(_ node: SpecNode) throws -> SelectionSpec {
        let m = try node.mapping("population.selection")
        let pilot = try m.optional("pilot")?.int("pilot", minimum: 20) ?? 1000
        let targets = try m.required("targets").sequence("selection targets").map { t in
            let tm = try t.mapping("a selection target")
            let obs = try tm.required("observable").string("observable")
            let time = try tm.required("time").double("time")
            let d = try distribution(try tm.required("target"), of: obs)
            try tm.finish()
            return SelectionSpec.Target(observable: obs, time: time, distribution: d, location: t.location)
        }
        guard !targets.isEmpty else { throw node.error("selection needs at least one target") }
        try m.finish()
        return SelectionSpec(targets: targets, pilot: pilot, location: node.location)
    }

    func eventList(_ node: SpecNode) throws -> [EventSpec] {
        try node.mapping("events").all().map { name, keyNode, value in
            let m = try value.mapping("event \(name)")
            let obs = try m.required("observable").string("observable")
            let (threshold, above) = try thresholdOf(m, value)
            try m.finish()
            return EventSpec(name: name, observable: obs, threshold: threshold, above: above, location: keyNode.location)
        }
    }

    func armList(_ node: SpecNode) throws -> [ArmSpec] {
        let arms = try node.sequence("arms").map { a -> ArmSpec in
            let m = try a.mapping("an arm")
            let name = try m.required("name").string("name")
            let ratio = try m.optional("ratio")?.int("ratio", minimum: 1) ?? 1
            let regimen = try m.optional("regimen").map { try $0.sequence("regimen").map(regimenItem) } ?? []
            try m.finish()
            return ArmSpec(name: name, ratio: ratio, regimen: regimen, location: a.location)
        }
        guard !arms.isEmpty else { throw node.error("a trial needs at least one arm") }
        for (k, arm) in arms.enumerated() where arms[..<k].contains(where: { $0.name == arm.name }) {
            throw arm.location.error("arm '\(arm.name)' is defined twice", file: file)
        }
        return arms
    }

    func regimenItem(_ node: SpecNode) throws -> RegimenItem {
        let m = try node.mapping("a regimen item")
        let kinds = ["bolus", "infusion", "set"].filter { m.has($0) }
        guard kinds.count == 1 else { throw node.error("a regimen item needs exactly one of 'bolus', 'infusion' and 'set' (naming its target)") }
        let target = try m.required(kinds[0]).string(kinds[0])
        let kind: RegimenItem.Kind
        switch kinds[0] {
        case "bolus": kind = .bolus(amount: try m.required("amount").double("amount"))
        case "infusion": kind = .infusion(amount: try m.required("amount").double("amount"), duration: try m.required("duration").positive("duration"))
        default: kind = .set(value: try m.required("value").double("value"), duration: try m.optional("duration")?.positive("duration"))
        }
        let at = try m.optional("at")?.double("at") ?? 0
        var relativeTo = try m.optional("relative_to")?.string("relative_to")
        if relativeTo == "infection" || relativeTo == "start" { relativeTo = nil }
        let every = try m.optional("every")?.positive("every")
        let count = try m.optional("count")?.int("count", minimum: 1) ?? 1
        if count > 1, every == nil { throw node.error("a repeated dose (count > 1) needs 'every'") }
        try m.finish()
        return RegimenItem(target: target, kind: kind, at: at, relativeTo: relativeTo, every: every, count: count, location: node.location)
    }

    func followUpSpec(_ node: SpecNode) throws -> FollowUp {
        let m = try node.mapping("follow_up")
        let startNode = m.optional("start")
        let start = try startNode?.double("start") ?? 0
        guard abs(start) <= 1e6 else { throw startNode!.error("follow_up start must be within ±1e6 time units, got \(start)") }
        let endNode = try m.required("end")
        let end = try endNode.double("end")
        guard end > start else { throw endNode.error("follow_up end must be after its start \(start), got \(end)") }
        let points = try m.optional("points")?.int("points", minimum: 2) ?? 101
        try m.finish()
        return FollowUp(start: start, end: end, points: points)
    }

    func endpointList(_ node: SpecNode) throws -> [EndpointSpec] {
        var list: [EndpointSpec] = []
        for e in try node.sequence("endpoints") {
            let m = try e.mapping("an endpoint")
            let nameNode = try m.required("name")
            let name = try nameNode.string("name")
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else {
                throw nameNode.error("an endpoint name must start with a letter and use only letters, digits and '_', got '\(name)'")
            }
            guard !list.contains(where: { $0.name == name }) else { throw nameNode.error("endpoint '\(name)' is defined twice") }
            let typeNode = try m.required("type")
            let kind: EndpointSpec.Kind
            switch try typeNode.string("type") {
            case "value":
                kind = .value(observable: try m.required("observable").string("observable"), time: try m.required("time").double("time"))
            case "auc", "peak":
                let obs = try m.required("observable").string("observable")
                let from = try m.required("from").double("from"), toNode = try m.required("to")
                let to = try toNode.double("to")
                guard to > from else { throw toNode.error("'to' must be after 'from'") }
                kind = try typeNode.string("type") == "auc" ? .auc(observable: obs, from: from, to: to) : .peak(observable: obs, from: from, to: to)
            case "time_to":
                let obs = try m.required("observable").string("observable")
                let (threshold, above) = try thresholdOf(m, e)
                kind = .timeTo(observable: obs, threshold: threshold, above: above, after: try m.optional("after")?.double("after") ?? -Double.greatestFiniteMagnitude)
            case "responder":
                kind = .responder(rule: try expression(try m.required("rule"), "the rule of \(name)"))
            case let other:
                throw typeNode.error("endpoint type must be value, auc, peak, time_to or responder, got '\(other)'")
            }
            try m.finish()
            list.append(EndpointSpec(name: name, kind: kind, location: e.location))
        }
        guard !list.isEmpty else { throw node.error("a trial needs at least one endpoint") }
        return list
    }

    func powerSpec(_ node: SpecNode, endpoints: [EndpointSpec]) throws -> PowerSpec {
        let m = try node.mapping("power")
        let epNode = try m.required("endpoint")
        let ep = try epNode.string("endpoint")
        guard endpoints.contains(where: { $0.name == ep }) else { throw epNode.error("power endpoint '\(ep)' is not an endpoint") }
        let replicates = try m.optional("replicates")?.int("replicates", minimum: 10) ?? 200
        let alphaNode = m.optional("alpha")
        let alpha = try alphaNode?.double("alpha") ?? 0.05
        guard alpha > 0, alpha < 1 else { throw (alphaNode ?? node).error("alpha must be in (0, 1), got \(alpha)") }
        try m.finish()
        return PowerSpec(endpoint: ep, replicates: replicates, alpha: alpha, location: node.location)
    }

    func trajectorySpec(_ node: SpecNode) throws -> TrajectorySpec {
        let m = try node.mapping("trajectory")
        let obs = try m.required("observable").string("observable")
        let n = try m.optional("patients")?.int("patients", minimum: 1) ?? 200
        try m.finish()
        return TrajectorySpec(observable: obs, patients: n, location: node.location)
    }
}
