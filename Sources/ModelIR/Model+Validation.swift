/// What kind of element an id names.
public enum SymbolKind: String, Hashable, Sendable {
    case compartment, species, parameter, reaction, speciesReference, function, event
}

extension Model {
    /// Every global id with the kind of element it names (the first definition wins on duplicates).
    public var symbolTable: [String: SymbolKind] {
        var table: [String: SymbolKind] = [:]
        for (id, kind) in allIds where table[id] == nil { table[id] = kind }
        return table
    }

    private var allIds: [(String, SymbolKind)] {
        var ids: [(String, SymbolKind)] = []
        ids += compartments.map { ($0.id, .compartment) }
        ids += species.map { ($0.id, .species) }
        ids += parameters.map { ($0.id, .parameter) }
        ids += reactions.map { ($0.id, .reaction) }
        ids += functions.map { ($0.id, .function) }
        ids += events.compactMap { $0.id.isEmpty ? nil : ($0.id, .event) }
        for r in reactions {
            for ref in r.reactants + r.products { if let id = ref.id { ids.append((id, .speciesReference)) } }
        }
        return ids
    }

    /// Checks ids, references, rule and event targets and function calls, and reports every problem.
    ///
    /// What is checked: unique ids; species in defined compartments; reactions refer to defined species;
    /// every symbol in every expression is defined (kinetic laws may use their local parameters, function
    /// bodies only their arguments); called functions exist with the right number of arguments and do not
    /// recurse; rule, initial-assignment and event-assignment targets exist and are not constant; no
    /// variable has both an assignment rule and a rate rule or initial assignment.
    /// What is not checked here: cycles among assignment rules (the compiler orders them and reports
    /// cycles), units, and whether the model can be simulated numerically.
    /// - Throws: `ModelErrors` with all problems found.
    public func validate() throws {
        var errors: [ModelError] = []
        var seen: [String: [String]] = [:]
        for (id, kind) in allIds { seen[id, default: []].append(kind.rawValue) }
        for (id, kinds) in seen.sorted(by: { $0.key < $1.key }) where kinds.count > 1 {
            errors.append(.duplicateId(id: id, kinds: kinds))
        }
        let table = symbolTable
        let compartmentIds = Set(compartments.map(\.id))
        let speciesIds = Set(species.map(\.id))
        for s in species where !compartmentIds.contains(s.compartment) {
            errors.append(.unknownCompartment(species: s.id, compartment: s.compartment))
        }
        let functionTable = Dictionary(functions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func check(_ e: MathExpression, in context: String, extra: Set<String> = []) {
            for id in e.referencedSymbols.sorted() where table[id] == nil && !extra.contains(id) {
                errors.append(.undefinedSymbol(id: id, usedIn: context))
            }
            do { _ = try e.inliningFunctions(functionTable) } catch let error as ModelError {
                errors.append(error)
            } catch {}
        }
        for f in functions {
            for id in f.body.referencedSymbols.sorted() where !f.arguments.contains(id) {
                errors.append(.undefinedSymbol(id: id, usedIn: "function '\(f.id)' (a function body may use only its arguments)"))
            }
        }
        for r in reactions {
            for ref in r.reactants + r.products where !speciesIds.contains(ref.species) {
                errors.append(.unknownSpecies(id: ref.species, inReaction: r.id))
            }
            for m in r.modifiers where !speciesIds.contains(m) {
                errors.append(.unknownSpecies(id: m, inReaction: r.id))
            }
            if let law = r.kineticLaw {
                check(law, in: "the kinetic law of reaction '\(r.id)'", extra: Set(r.localParameters.map(\.id)))
            }
            for ref in r.reactants + r.products {
                if let m = ref.stoichiometryMath { check(m, in: "the stoichiometry of '\(ref.species)' in reaction '\(r.id)'") }
            }
        }
        let constants = Set(compartments.filter(\.constant).map(\.id) + species.filter(\.constant).map(\.id)
                            + parameters.filter(\.constant).map(\.id))
        let settable: Set<SymbolKind> = [.compartment, .species, .parameter, .speciesReference]
        var assigned: [String: String] = [:]
        for rule in rules {
            let context: String
            switch rule {
            case .assignment(let v, _): context = "the assignment rule for '\(v)'"
            case .rate(let v, _): context = "the rate rule for '\(v)'"
            case .algebraic: context = "an algebraic rule"
            }
            check(rule.math, in: context)
            guard let v = rule.variable else { continue }
            if let kind = table[v], !settable.contains(kind) {
                errors.append(.invalidTarget(id: v, usedIn: context, reason: "it is a \(kind.rawValue)"))
            } else if table[v] == nil {
                errors.append(.undefinedSymbol(id: v, usedIn: context))
            } else if constants.contains(v) {
                errors.append(.invalidTarget(id: v, usedIn: context, reason: "it is declared constant"))
            }
            if let previous = assigned[v] {
                errors.append(.multipleDefinitions(id: v, reason: "\(previous) and \(context)"))
            }
            assigned[v] = context
        }
        for ia in initialAssignments {
            let context = "the initial assignment for '\(ia.symbol)'"
            check(ia.math, in: context)
            if table[ia.symbol] == nil { errors.append(.undefinedSymbol(id: ia.symbol, usedIn: context)) }
            if let previous = assigned[ia.symbol], previous.hasPrefix("the assignment rule") {
                errors.append(.multipleDefinitions(id: ia.symbol, reason: "\(previous) and \(context)"))
            }
        }
        let ruleDefined = Set(rules.compactMap { if case .assignment(let v, _) = $0 { v } else { nil } })
        for event in events {
            let name = "event '\(event.id)'"
            check(event.trigger, in: "the trigger of \(name)")
            if let d = event.delay { check(d, in: "the delay of \(name)") }
            if let p = event.priority { check(p, in: "the priority of \(name)") }
            for a in event.assignments {
                let context = "an assignment of \(name)"
                check(a.math, in: context)
                if let kind = table[a.variable], !settable.contains(kind) {
                    errors.append(.invalidTarget(id: a.variable, usedIn: context, reason: "it is a \(kind.rawValue)"))
                } else if table[a.variable] == nil {
                    errors.append(.undefinedSymbol(id: a.variable, usedIn: context))
                } else if constants.contains(a.variable) {
                    errors.append(.invalidTarget(id: a.variable, usedIn: context, reason: "it is declared constant"))
                } else if ruleDefined.contains(a.variable) {
                    errors.append(.invalidTarget(id: a.variable, usedIn: context, reason: "it is defined by an assignment rule"))
                }
            }
        }
        if !errors.isEmpty { throw ModelErrors(errors) }
    }
}
