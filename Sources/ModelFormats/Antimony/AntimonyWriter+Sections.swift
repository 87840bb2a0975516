import ModelIR

extension AntimonyWriter {
    /// `unit time_unit = ...;` and the unit definitions kept in the model's metadata.
    static func units(_ model: Model) -> [String] {
        let prefix = AntimonyDraft.unitMetadataPrefix
        var lines = model.timeUnit.map { ["unit time_unit = \($0);"] } ?? []
        for (key, definition) in model.metadata.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            lines.append("unit \(key.dropFirst(prefix.count)) = \(definition);")
        }
        return lines
    }

    /// `var ` or `const ` where the flag differs from what the reader infers (constant unless varied).
    private static func flagPrefix(constant: Bool, varied: Bool) -> String {
        if constant && varied { return "const " }
        if !constant && !varied { return "var " }
        return ""
    }

    static func compartment(_ c: Compartment, _ context: Context) -> String {
        let prefix = flagPrefix(constant: c.constant, varied: context.varied.contains(c.id))
        return "\(prefix)compartment \(c.id)\(context.valueText(c.id, c.size, units: c.units));"
    }

    static func species(_ s: Species, _ context: Context) -> String {
        var text = s.hasOnlySubstanceUnits ? "substanceOnly species " : "species "
        text += (s.boundaryCondition || s.constant ? "$" : "") + "\(s.id) in \(s.compartment)"
        let value = s.hasOnlySubstanceUnits ? s.initialAmount : s.initialConcentration
        let other = s.hasOnlySubstanceUnits ? s.initialConcentration : s.initialAmount
        if value != nil {
            text += context.valueText(s.id, value, units: s.units)
        } else if let other, !context.assigned.contains(s.id) {
            // An amount of a concentration species (or the reverse): convert with the compartment size.
            text += " = \(MathExpression.format(other)) \(s.hasOnlySubstanceUnits ? "*" : "/") \(s.compartment)"
        }
        return text + ";"
    }

    /// Every parameter in model order: `k = 0.3;` for number values, `var x, y;` / `const k;` otherwise.
    static func parameters(_ model: Model, _ context: Context) -> [String] {
        var lines: [String] = []
        var group: (keyword: String, ids: [String])?
        func flush() {
            if let group { lines.append("\(group.keyword) \(group.ids.joined(separator: ", "));") }
            group = nil
        }
        for p in model.parameters {
            if p.value == nil || context.assigned.contains(p.id) {
                let keyword = p.constant ? "const" : "var"
                if group?.keyword == keyword {
                    group?.ids.append(p.id)
                } else {
                    flush()
                    group = (keyword, [p.id])
                }
            } else {
                flush()
                let prefix = flagPrefix(constant: p.constant, varied: context.varied.contains(p.id))
                lines.append("\(prefix)\(p.id)\(context.valueText(p.id, p.value, units: p.units));")
            }
        }
        flush()
        return lines
    }

    static func rule(_ rule: Rule) -> String {
        switch rule {
        case .assignment(let v, let math): "\(v) := \(math);"
        case .rate(let v, let math): "\(v)' = \(math);"
        case .algebraic(let math): "0 = \(math);"
        }
    }

    static func reaction(_ r: Reaction, _ context: Context) -> String {
        func side(_ references: [SpeciesReference]) -> String {
            references.map { ref in
                let stoichiometry = ref.stoichiometry.map { $0 == 1 ? "" : "\(MathExpression.format($0)) " } ?? ""
                return stoichiometry + (context.boundary.contains(ref.species) ? "$" : "") + ref.species
            }.joined(separator: " + ")
        }
        let reactants = side(r.reactants)
        let products = side(r.products)
        var text = r.id.isEmpty ? "" : "\(r.id): "
        text += reactants + (reactants.isEmpty ? "" : " ") + (r.reversible ? "->" : "=>")
        text += (products.isEmpty ? " " : " \(products)") + ";"
        if var law = r.kineticLaw {
            var values: [String: MathExpression] = [:]
            for p in r.localParameters { if let v = p.value { values[p.id] = .number(v) } }
            law = law.substituting(values)
            text += " \(law);"
        }
        return text
    }

    static func event(_ e: Event) -> String {
        var text = e.id.isEmpty ? "at " : "\(e.id): at "
        if let delay = e.delay { text += "\(delay) after " }
        text += "(\(e.trigger))"
        if let priority = e.priority { text += ", priority = \(priority)" }
        if !e.initialValue { text += ", t0 = false" }
        if !e.persistent { text += ", persistent = false" }
        if !e.useValuesFromTriggerTime { text += ", fromTrigger = false" }
        return text + ": " + e.assignments.map { "\($0.variable) = \($0.math)" }.joined(separator: ", ") + ";"
    }

    static func displayNames(_ model: Model) -> [String] {
        var named: [(String, String?)] = model.compartments.map { ($0.id, $0.name) }
        named += model.species.map { ($0.id, $0.name) }
        named += model.parameters.map { ($0.id, $0.name) }
        named += model.reactions.map { ($0.id, $0.name) }
        named += model.events.map { ($0.id, $0.name) }
        return named.compactMap { id, name in
            guard let name, !id.isEmpty else { return nil }
            return "\(id) is \(quoted(name));"
        }
    }
}
