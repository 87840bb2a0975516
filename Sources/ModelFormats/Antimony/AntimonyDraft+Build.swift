import ModelIR

extension AntimonyDraft {
    /// The compartment of species that are given none, created with size 1 when needed (as libantimony does).
    static let defaultCompartment = "default_compartment"
    /// The model id of a file without a `model` block (libantimony's name for the main module).
    static let defaultModelId = "__main"
    /// Prefix of `Model.metadata` keys holding unit definitions: `unit per_hour = 1/hour` is stored as
    /// `metadata["unit:per_hour"] = "1/hour"`.
    static let unitMetadataPrefix = "unit:"

    /// Builds and validates the model.
    /// - Throws: `ModelErrors` when `Model.validate()` finds problems.
    func build() throws -> Model {
        let reactionIds = Self.assignIds(reactions.map(\.id), prefix: "_J", avoiding: takenIds)
        let eventIds = Self.assignIds(events.map(\.id), prefix: "_E", avoiding: takenIds.union(reactionIds))
        let nonElements = Set(reactionIds + eventIds + functions.map(\.id) + [modelId ?? Self.defaultModelId])
        let targeted = Set(rules.compactMap(\.rule.variable) + initialAssignments.map(\.symbol))
        let elements = entries.values
            .filter { e in
                !nonElements.contains(e.id) || e.kind != nil || e.value != nil || e.isConstant != nil
                    || e.units != nil || targeted.contains(e.id)
            }
            .sorted { a, b in (a.firstDefinition ?? Int.max, a.firstUse) < (b.firstDefinition ?? Int.max, b.firstUse) }
        let speciesEntries = elements.filter { $0.kind == .species }
        var compartments = elements.filter { $0.kind == .compartment }.map(compartment(from:))
        if speciesEntries.contains(where: { $0.compartment == nil }),
           !compartments.contains(where: { $0.id == Self.defaultCompartment }) {
            compartments.insert(Compartment(id: Self.defaultCompartment, size: 1), at: 0)
        }
        let species = speciesEntries.map(species(from:))
        let speciesIds = Set(species.map(\.id))
        var model = Model(
            id: modelId ?? Self.defaultModelId, name: displayNames[modelId ?? Self.defaultModelId], compartments: compartments, species: species,
            parameters: elements.filter { $0.kind == nil }.map(parameter(from:)),
            reactions: zip(reactions, reactionIds).map { reaction(from: $0, id: $1, speciesIds: speciesIds) },
            functions: functions, initialAssignments: initialAssignments, rules: rules.map(\.rule),
            events: zip(events, eventIds).map { draft, id in
                var event = draft.event
                event.id = id
                event.name = displayNames[id]
                return event
            },
            timeUnit: timeUnit)
        for (name, definition) in unitDefinitions { model.metadata[Self.unitMetadataPrefix + name] = definition }
        try model.validate()
        return model
    }

    /// Ids given explicitly anywhere, which generated ids must avoid.
    private var takenIds: Set<String> {
        Set(entries.keys).union(reactions.compactMap(\.id)).union(events.compactMap(\.id)).union(functions.map(\.id))
    }

    /// Keeps the given ids and numbers the missing ones `prefix0`, `prefix1`, ... skipping taken ids.
    private static func assignIds(_ ids: [String?], prefix: String, avoiding taken: Set<String>) -> [String] {
        var counter = 0
        var used = taken
        return ids.map { id in
            if let id { return id }
            while used.contains("\(prefix)\(counter)") { counter += 1 }
            let generated = "\(prefix)\(counter)"
            used.insert(generated)
            counter += 1
            return generated
        }
    }

    private func compartment(from e: Entry) -> Compartment {
        Compartment(id: e.id, name: displayNames[e.id], size: e.value, constant: e.isConstant ?? !e.isVaried, units: e.units)
    }

    private func species(from e: Entry) -> Species {
        Species(
            id: e.id, name: displayNames[e.id], compartment: e.compartment ?? Self.defaultCompartment,
            initialAmount: e.isSubstanceOnly ? e.value : nil, initialConcentration: e.isSubstanceOnly ? nil : e.value,
            hasOnlySubstanceUnits: e.isSubstanceOnly, boundaryCondition: e.isBoundary || e.isConstant == true, constant: false,
            units: e.units)
    }

    private func parameter(from e: Entry) -> Parameter {
        Parameter(id: e.id, name: displayNames[e.id], value: e.value, constant: e.isConstant ?? !e.isVaried, units: e.units)
    }

    private func reaction(from draft: DraftReaction, id: String, speciesIds: Set<String>) -> Reaction {
        let participants = Set((draft.reactants + draft.products).map(\.species))
        var modifiers: [String] = []
        draft.kineticLaw?.visit { node in
            if case .symbol(let s) = node, speciesIds.contains(s), !participants.contains(s), !modifiers.contains(s) {
                modifiers.append(s)
            }
        }
        return Reaction(
            id: id, name: displayNames[id], reactants: draft.reactants, products: draft.products, modifiers: modifiers,
            kineticLaw: draft.kineticLaw, reversible: draft.reversible)
    }
}
