import ModelIR

/// What the Antimony reader has learnt about the model so far; `build()` turns it into a `Model`.
///
/// Symbols are recorded as they are mentioned. Each gets the sequence number of its first *definition*
/// (a declaration or a statement whose subject it is) and of its first *use* (in an expression), which
/// fix the order of compartments, species and parameters in the model (see `AntimonyReader`).
struct AntimonyDraft {
    enum Kind: String { case species, compartment }

    struct Entry {
        var id: String
        var kind: Kind?
        var kindLocation: SourceLocation?
        var firstDefinition: Int?
        var firstUse: Int
        var compartment: String?
        /// Species: `$S` or `const S`; other symbols: ignored.
        var isBoundary = false
        /// Explicit `const` (true) or `var` (false) on a compartment or parameter.
        var isConstant: Bool?
        var isSubstanceOnly = false
        var value: Double?
        var units: String?
        /// Set by rules, event assignments and algebraic rules: the symbol changes over time.
        var isVaried = false
    }

    struct DraftReaction {
        var id: String?
        var reactants: [SpeciesReference]
        var products: [SpeciesReference]
        var kineticLaw: MathExpression?
        var reversible: Bool
    }

    struct DraftEvent {
        var id: String?
        var event: Event
    }

    var modelId: String?
    var entries: [String: Entry] = [:]
    var sequence = 0
    var reactions: [DraftReaction] = []
    var events: [DraftEvent] = []
    var functions: [FunctionDefinition] = []
    /// Rules in the order of their (last) statement; an assignment or rate rule per variable.
    var rules: [(rule: Rule, location: SourceLocation)] = []
    var initialAssignments: [InitialAssignment] = []
    var displayNames: [String: String] = [:]
    var unitDefinitions: [(name: String, definition: String)] = []
    var timeUnit: String?

    // MARK: Mentions

    /// Records a definition of `id` (a statement or declaration whose subject it is).
    mutating func define(_ id: String) {
        sequence += 1
        if entries[id] == nil { entries[id] = Entry(id: id, firstUse: sequence) }
        if entries[id]?.firstDefinition == nil { entries[id]?.firstDefinition = sequence }
    }

    /// Records uses of the symbols of `expression` (in reading order).
    mutating func use(_ expression: MathExpression) {
        expression.visit { node in
            if case .symbol(let id) = node { use(id) }
        }
    }

    /// Records a use of `id`.
    mutating func use(_ id: String) {
        sequence += 1
        if entries[id] == nil { entries[id] = Entry(id: id, firstUse: sequence) }
    }

    /// Declares the kind of `id`.
    /// - Throws: `ModelError.multipleDefinitions` when it was declared with another kind before.
    mutating func setKind(_ id: String, _ kind: Kind, at location: SourceLocation) throws {
        define(id)
        if let previous = entries[id]?.kind, previous != kind {
            let earlier = entries[id]?.kindLocation.map { " (\($0))" } ?? ""
            throw ModelError.multipleDefinitions(
                id: id, reason: "\(location): declared as a \(kind.rawValue), but it is a \(previous.rawValue)\(earlier)")
        }
        entries[id]?.kind = kind
        if entries[id]?.kindLocation == nil { entries[id]?.kindLocation = location }
    }

    /// Places species `id` in `compartment` (`species S in c`, `S in c`).
    mutating func place(_ id: String, in compartment: String, at location: SourceLocation) throws {
        if entries[id]?.kind == .compartment {
            throw ModelError.syntax(
                message: "'\(id)' is a compartment; nesting compartments ('\(id) in \(compartment)') is not supported",
                location: location)
        }
        try setKind(id, .species, at: location)
        try setKind(compartment, .compartment, at: location)
        entries[id]?.compartment = compartment
    }

    // MARK: Values and rules

    private func assignmentRuleIndex(_ id: String) -> Int? {
        rules.firstIndex { if case .assignment(id, _) = $0.rule { true } else { false } }
    }

    private func rateRuleIndex(_ id: String) -> Int? {
        rules.firstIndex { if case .rate(id, _) = $0.rule { true } else { false } }
    }

    /// `id = math`: a number is the initial value, anything else an initial assignment. The last one wins.
    /// - Throws: `ModelError.multipleDefinitions` when `id` has an assignment rule.
    mutating func setInitial(_ id: String, _ math: MathExpression, units: String?, at location: SourceLocation) throws {
        define(id)
        if let index = assignmentRuleIndex(id) {
            throw ModelError.multipleDefinitions(
                id: id, reason: "\(location): it has an assignment rule (\(rules[index].location)), which holds at all "
                    + "times including the start, so it cannot also be given an initial value")
        }
        use(math)
        initialAssignments.removeAll { $0.symbol == id }
        if case .number(let v) = math {
            entries[id]?.value = v
        } else {
            entries[id]?.value = nil
            initialAssignments.append(InitialAssignment(symbol: id, math: math))
        }
        if let units { entries[id]?.units = units }
    }

    /// `id := math`: replaces any initial value, initial assignment or earlier assignment rule of `id`.
    /// - Throws: `ModelError.multipleDefinitions` when `id` has a rate rule.
    mutating func setAssignmentRule(_ id: String, _ math: MathExpression, at location: SourceLocation) throws {
        define(id)
        if let index = rateRuleIndex(id) {
            throw ModelError.multipleDefinitions(
                id: id, reason: "\(location): it has a rate rule (\(rules[index].location)) and cannot also have an assignment rule")
        }
        use(math)
        entries[id]?.value = nil
        entries[id]?.isVaried = true
        initialAssignments.removeAll { $0.symbol == id }
        if let index = assignmentRuleIndex(id) { rules.remove(at: index) }
        rules.append((.assignment(variable: id, math: math), location))
    }

    /// `id' = math`: replaces an earlier rate rule of `id`; the initial value is kept.
    /// - Throws: `ModelError.multipleDefinitions` when `id` has an assignment rule.
    mutating func setRateRule(_ id: String, _ math: MathExpression, at location: SourceLocation) throws {
        define(id)
        if let index = assignmentRuleIndex(id) {
            throw ModelError.multipleDefinitions(
                id: id, reason: "\(location): it has an assignment rule (\(rules[index].location)) and cannot also have a rate rule")
        }
        use(math)
        entries[id]?.isVaried = true
        if let index = rateRuleIndex(id) { rules.remove(at: index) }
        rules.append((.rate(variable: id, math: math), location))
    }

    /// `0 = math`: an algebraic rule; the symbols it mentions may vary.
    mutating func addAlgebraicRule(_ math: MathExpression, at location: SourceLocation) {
        use(math)
        for id in math.referencedSymbols { entries[id]?.isVaried = true }
        rules.append((.algebraic(math: math), location))
    }

    /// Records an event; its assignment targets may vary.
    mutating func addEvent(id: String?, _ event: Event) {
        use(event.trigger)
        if let d = event.delay { use(d) }
        if let p = event.priority { use(p) }
        for a in event.assignments {
            use(a.variable)
            use(a.math)
            entries[a.variable]?.isVaried = true
        }
        events.append(DraftEvent(id: id, event: event))
    }
}
