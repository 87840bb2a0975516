import ModelIR

extension AntimonyWriter {
    /// Names Antimony reads as built-in constants in expressions (`time`, `pi`, `NaN`, `inf`, `true`, ...),
    /// so an element with such an id (possible in SBML) would be misread. Statement keywords used as ids
    /// read back (the reader accepts them where an id is expected) and are left alone.
    static let reservedNames: Set<String> = [
        "time", "t_", "true", "True", "false", "False", "pi", "exponentiale", "avogadro",
        "inf", "INF", "infinity", "Infinity", "NaN", "nan", "notanumber",
    ]

    /// The model with every element, local parameter and function whose id is reserved renamed to
    /// `id_` (more underscores until unused), everywhere it is referenced; other models unchanged.
    static func escapingReservedNames(_ model: Model) -> Model {
        var taken = Set(model.symbolTable.keys)
        for r in model.reactions { taken.formUnion(r.localParameters.map(\.id)) }
        var map: [String: String] = [:]
        for id in taken.sorted() where reservedNames.contains(id) {
            var new = id + "_"
            while taken.contains(new) || reservedNames.contains(new) { new += "_" }
            taken.insert(new)
            map[id] = new
        }
        guard !map.isEmpty else { return model }
        func name(_ id: String) -> String { map[id] ?? id }
        func math(_ e: MathExpression) -> MathExpression {
            e.rewritten { node in
                switch node {
                case .symbol(let id): return map[id].map { .symbol($0) }
                case .call(let id, let args): return map[id].map { .call($0, args) }
                default: return nil
                }
            }
        }
        func reference(_ ref: SpeciesReference) -> SpeciesReference {
            var ref = ref
            ref.species = name(ref.species)
            ref.id = ref.id.map(name)
            ref.stoichiometryMath = ref.stoichiometryMath.map(math)
            return ref
        }
        var m = model
        for i in m.compartments.indices { m.compartments[i].id = name(m.compartments[i].id) }
        for i in m.species.indices {
            m.species[i].id = name(m.species[i].id)
            m.species[i].compartment = name(m.species[i].compartment)
            m.species[i].conversionFactor = m.species[i].conversionFactor.map(name)
        }
        for i in m.parameters.indices { m.parameters[i].id = name(m.parameters[i].id) }
        for i in m.reactions.indices {
            m.reactions[i].id = name(m.reactions[i].id)
            m.reactions[i].reactants = m.reactions[i].reactants.map(reference)
            m.reactions[i].products = m.reactions[i].products.map(reference)
            m.reactions[i].modifiers = m.reactions[i].modifiers.map(name)
            m.reactions[i].kineticLaw = m.reactions[i].kineticLaw.map(math)
            for j in m.reactions[i].localParameters.indices {
                m.reactions[i].localParameters[j].id = name(m.reactions[i].localParameters[j].id)
            }
        }
        for i in m.functions.indices {
            // arguments are local to the body; rename them too so the body reads back
            m.functions[i].id = name(m.functions[i].id)
            m.functions[i].arguments = m.functions[i].arguments.map(name)
            m.functions[i].body = math(m.functions[i].body)
        }
        m.initialAssignments = m.initialAssignments.map { InitialAssignment(symbol: name($0.symbol), math: math($0.math)) }
        m.rules = m.rules.map { rule in
            switch rule {
            case .assignment(let v, let e): .assignment(variable: name(v), math: math(e))
            case .rate(let v, let e): .rate(variable: name(v), math: math(e))
            case .algebraic(let e): .algebraic(math: math(e))
            }
        }
        for i in m.events.indices {
            m.events[i].id = name(m.events[i].id)
            m.events[i].trigger = math(m.events[i].trigger)
            m.events[i].delay = m.events[i].delay.map(math)
            m.events[i].priority = m.events[i].priority.map(math)
            m.events[i].assignments = m.events[i].assignments.map { EventAssignment(variable: name($0.variable), math: math($0.math)) }
        }
        m.conversionFactor = m.conversionFactor.map(name)
        return m
    }
}
