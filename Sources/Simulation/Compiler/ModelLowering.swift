import ModelIR

/// How a state variable relates to the symbol of the same id.
enum StateKind: Equatable {
    /// A species whose amount is integrated; its symbol is the amount (hasOnlySubstanceUnits) or amount / size.
    case speciesAmount(compartment: String, onlySubstance: Bool)
    /// A symbol integrated as its own value (rate-ruled concentrations, parameters, compartments, stoichiometries).
    case value
}

/// Translates a `Model` with SBML semantics into expression-graph nodes: the right-hand side over the state
/// vector, the values of all symbols, event triggers and assignments, and (in a second graph over the
/// inputs) the initial state and the constants.
///
/// States are the symbols that change over time other than by assignment rules: species changed by
/// reactions, and targets of rate rules and event assignments. Everything else that is not defined by an
/// assignment rule is a constant slot, computed once per simulation from the inputs.
final class ModelLowering {
    let model: Model
    let graph = ExpressionGraph()
    let initGraph = ExpressionGraph()

    private(set) var stateIds: [String] = []
    private(set) var stateKinds: [StateKind] = []
    private(set) var constantIds: [String] = []
    private(set) var inputIds: [String] = []
    private(set) var defaultInputs: [Double] = []

    private var stateIndex: [String: Int] = [:]
    /// Constant species whose slot holds an amount (their compartment's size varies).
    private var amountConstants: Set<String> = []
    private var constantIndex: [String: Int] = [:]
    private var inputIndex: [String: Int] = [:]
    private var assignmentRules: [String: MathExpression] = [:]
    private var rateRules: [String: MathExpression] = [:]
    private var initialAssignments: [String: MathExpression] = [:]
    private var kineticLaws: [String: (MathExpression, [String: Double])] = [:]
    private var speciesById: [String: Species] = [:]
    private var compartmentIds: Set<String> = []
    private var stoichiometryById: [String: SpeciesReference] = [:]
    /// Every id some expression, rule target or event target of the model mentions.
    private lazy var referenced: Set<String> = {
        var ids = Set<String>()
        for r in model.reactions {
            ids.formUnion(r.kineticLaw?.referencedSymbols ?? [])
            for ref in r.reactants + r.products { ids.formUnion(ref.stoichiometryMath?.referencedSymbols ?? []) }
        }
        for rule in model.rules { ids.formUnion(rule.math.referencedSymbols); if let v = rule.variable { ids.insert(v) } }
        for ia in model.initialAssignments { ids.formUnion(ia.math.referencedSymbols) }
        for e in model.events {
            ids.formUnion(e.trigger.referencedSymbols)
            ids.formUnion(e.delay?.referencedSymbols ?? [])
            ids.formUnion(e.priority?.referencedSymbols ?? [])
            for a in e.assignments { ids.formUnion(a.math.referencedSymbols); ids.insert(a.variable) }
        }
        for s in model.species {
            // the size matters when the symbol is a concentration or the initial value must be converted
            if !s.hasOnlySubstanceUnits || s.initialConcentration != nil { ids.insert(s.compartment) }
            if let c = s.conversionFactor { ids.insert(c) }
        }
        if let c = model.conversionFactor { ids.insert(c) }
        return ids
    }()

    private var symbolMemo: [String: Int] = [:]
    private var inProgress: Set<String> = []
    private var rhsMemo: [Int: Int] = [:]
    private var rhsInProgress: Set<Int> = []
    private var initMemo: [String: Int] = [:]
    private var initInProgress: Set<String> = []
    private var transplantMemo: [Int: Int] = [:]
    private var delaySlots: [Int64: Int] = [:]
    /// For each `delay(x, tau)` of the model: the nodes of x and tau (in `graph`).
    private(set) var delayArguments: [Int] = []
    private(set) var delayLags: [Int] = []

    init(_ source: Model) throws {
        do { try source.validate() } catch { throw SimulationError.invalidModel("\(error)") }
        let functions = Dictionary(source.functions.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var m = source
        func inline(_ e: MathExpression) throws -> MathExpression { try e.inliningFunctions(functions) }
        do {
            for i in m.reactions.indices {
                if let law = m.reactions[i].kineticLaw { m.reactions[i].kineticLaw = try inline(law) }
                for j in m.reactions[i].reactants.indices {
                    if let s = m.reactions[i].reactants[j].stoichiometryMath { m.reactions[i].reactants[j].stoichiometryMath = try inline(s) }
                }
                for j in m.reactions[i].products.indices {
                    if let s = m.reactions[i].products[j].stoichiometryMath { m.reactions[i].products[j].stoichiometryMath = try inline(s) }
                }
            }
            m.rules = try m.rules.map { rule in
                switch rule {
                case .assignment(let v, let e): .assignment(variable: v, math: try inline(e))
                case .rate(let v, let e): .rate(variable: v, math: try inline(e))
                case .algebraic(let e): .algebraic(math: try inline(e))
                }
            }
            m.initialAssignments = try m.initialAssignments.map { InitialAssignment(symbol: $0.symbol, math: try inline($0.math)) }
            m.events = try m.events.map { e in
                var e = e
                e.trigger = try inline(e.trigger)
                e.delay = try e.delay.map(inline)
                e.priority = try e.priority.map(inline)
                e.assignments = try e.assignments.map { EventAssignment(variable: $0.variable, math: try inline($0.math)) }
                return e
            }
        } catch let e as ModelError {
            throw SimulationError.invalidModel(e.description)
        }
        // In a zero-dimensional compartment a species has no concentration: its symbol is its amount (SBML L3).
        let pointLike = Set(m.compartments.filter { $0.spatialDimensions == 0 }.map(\.id))
        for i in m.species.indices where pointLike.contains(m.species[i].compartment) {
            m.species[i].hasOnlySubstanceUnits = true
        }
        let (equilibrated, fastSpecies) = try FastReactionRewriter.rewrite(m)
        model = try AlgebraicRuleSolver.resolve(equilibrated, undetermined: fastSpecies)
        try classify()
    }

    // MARK: Classification

    private func classify() throws {
        for rule in model.rules {
            switch rule {
            case .assignment(let v, let e): assignmentRules[v] = e
            case .rate(let v, let e): rateRules[v] = e
            case .algebraic:
                throw SimulationError.unsupported(element: "algebraic rule", reason: "left unsolved")
            }
        }
        for ia in model.initialAssignments { initialAssignments[ia.symbol] = ia.math }
        for s in model.species { speciesById[s.id] = s }
        compartmentIds = Set(model.compartments.map(\.id))
        for r in model.reactions {
            kineticLaws[r.id] = (r.kineticLaw ?? .number(0), Dictionary(r.localParameters.map { ($0.id, $0.value ?? .nan) }, uniquingKeysWith: { a, _ in a }))
            for ref in r.reactants + r.products { if let id = ref.id { stoichiometryById[id] = ref } }
        }
        let eventTargets = Set(model.events.flatMap { $0.assignments.map(\.variable) })
        var reactionChanged = Set<String>()
        for r in model.reactions {
            for ref in r.reactants + r.products {
                if let s = speciesById[ref.species], !s.boundaryCondition, !s.constant { reactionChanged.insert(s.id) }
            }
        }
        func addState(_ id: String, _ kind: StateKind) {
            stateIndex[id] = stateIds.count
            stateIds.append(id)
            stateKinds.append(kind)
        }
        for s in model.species where assignmentRules[s.id] == nil {
            if rateRules[s.id] != nil {
                addState(s.id, s.hasOnlySubstanceUnits ? .speciesAmount(compartment: s.compartment, onlySubstance: true) : .value)
            } else if reactionChanged.contains(s.id) || eventTargets.contains(s.id) {
                addState(s.id, .speciesAmount(compartment: s.compartment, onlySubstance: s.hasOnlySubstanceUnits))
            }
        }
        let others = model.compartments.map(\.id) + model.parameters.map(\.id) + stoichiometryById.keys.sorted()
        for id in others where assignmentRules[id] == nil && (rateRules[id] != nil || eventTargets.contains(id)) {
            addState(id, .value)
        }
        for id in model.parameters.map(\.id) + model.compartments.map(\.id) + model.species.map(\.id) + stoichiometryById.keys.sorted()
        where stateIndex[id] == nil && assignmentRules[id] == nil {
            constantIndex[id] = constantIds.count
            constantIds.append(id)
        }
        // A species that no process changes keeps its amount when its compartment's size changes (SBML):
        // in a variable compartment its constant slot holds the amount and the symbol divides by the size.
        for s in model.species where constantIndex[s.id] != nil && !s.hasOnlySubstanceUnits
            && (stateIndex[s.compartment] != nil || assignmentRules[s.compartment] != nil) {
            amountConstants.insert(s.id)
        }
        for p in model.parameters {
            addInput(p.id, p.value)
        }
        for c in model.compartments { addInput(c.id, c.size) }
        for s in model.species { addInput(s.id, s.initialConcentration ?? s.initialAmount) }
        for id in stoichiometryById.keys.sorted() {
            let ref = stoichiometryById[id]!
            addInput(id, ref.stoichiometryMath == nil ? ref.stoichiometry : nil)
        }
    }

    private func addInput(_ id: String, _ value: Double?) {
        inputIndex[id] = inputIds.count
        inputIds.append(id)
        defaultInputs.append(value ?? .nan)
    }

    func isState(_ id: String) -> Int? { stateIndex[id] }

    // MARK: Right-hand-side graph

    /// The node for the value of symbol `id` during the simulation.
    func symbol(_ id: String) throws -> Int {
        if let n = symbolMemo[id] { return n }
        guard !inProgress.contains(id) else {
            throw SimulationError.invalidModel(ModelError.cyclicRules(ids: inProgress.sorted()).description)
        }
        inProgress.insert(id)
        defer { inProgress.remove(id) }
        let node: Int
        if let i = stateIndex[id] {
            switch stateKinds[i] {
            case .value, .speciesAmount(_, true): node = graph.state(i)
            case .speciesAmount(let c, false): node = graph.apply(.div, graph.state(i), try symbol(c))
            }
        } else if let rule = assignmentRules[id] {
            node = try lower(rule, locals: [:])
        } else if let k = constantIndex[id] {
            node = amountConstants.contains(id)
                ? graph.apply(.div, graph.parameter(k), try symbol(speciesById[id]!.compartment))
                : graph.parameter(k)
        } else if let (law, locals) = kineticLaws[id] {
            node = try lower(law, locals: locals)
        } else {
            throw SimulationError.invalidModel("undefined symbol '\(id)'")
        }
        symbolMemo[id] = node
        return node
    }

    /// Lowers an expression in the simulation context. `locals` are reaction-local parameter values.
    func lower(_ e: MathExpression, locals: [String: Double]) throws -> Int {
        try lower(e, in: graph, locals: locals, resolve: { try self.symbol($0) }, rateOf: { try self.rateOf($0) },
                  delay: { try self.delaySlot($0, $1, locals: locals) })
    }

    /// `delay(x, tau)`: a leaf after the constant slots whose value the integrator fills before each
    /// evaluation with x at time − tau, from the history of accepted steps (the initial state before the start).
    private func delaySlot(_ x: MathExpression, _ tau: MathExpression, locals: [String: Double]) throws -> Int {
        let argument = try lower(x, locals: locals), lag = try lower(tau, locals: locals)
        let key = Int64(argument) << 32 | Int64(lag)
        if let k = delaySlots[key] { return graph.parameter(constantIds.count + k) }
        delaySlots[key] = delayArguments.count
        delayArguments.append(argument)
        delayLags.append(lag)
        return graph.parameter(constantIds.count + delayArguments.count - 1)
    }

    /// d(state i)/dt as a node (memoised; detects models whose derivatives depend on themselves through rateOf).
    func derivative(ofState i: Int) throws -> Int {
        if let n = rhsMemo[i] { return n }
        guard !rhsInProgress.contains(i) else {
            throw SimulationError.unsupported(element: "rateOf(\(stateIds[i]))", reason: "the derivative depends on itself")
        }
        rhsInProgress.insert(i)
        defer { rhsInProgress.remove(i) }
        let id = stateIds[i]
        var node = graph.zero
        if let rule = rateRules[id] {
            node = try lower(rule, locals: [:])
        } else if case .speciesAmount = stateKinds[i], let s = speciesById[id], !s.boundaryCondition {
            for r in model.reactions {
                var net = graph.zero
                for ref in r.reactants where ref.species == id { net = graph.apply(.sub, net, try stoichiometry(ref)) }
                for ref in r.products where ref.species == id { net = graph.apply(.add, net, try stoichiometry(ref)) }
                if graph.value(net) == 0 { continue }
                node = graph.apply(.add, node, graph.apply(.mul, net, try symbol(r.id)))
            }
            if let factor = s.conversionFactor ?? model.conversionFactor {
                node = graph.apply(.mul, node, try symbol(factor))
            }
        }
        rhsMemo[i] = node
        return node
    }

    private func stoichiometry(_ ref: SpeciesReference) throws -> Int {
        if let math = ref.stoichiometryMath { return try lower(math, locals: [:]) }
        if let id = ref.id, stateIndex[id] != nil || assignmentRules[id] != nil || constantIndex[id] != nil {
            return try symbol(id)
        }
        return graph.constant(ref.stoichiometry ?? 1)
    }

    /// rateOf(e) = sum_j d e / d y_j * f_j + d e / d t.
    private func rateOf(_ e: MathExpression) throws -> Int {
        let node = try lower(e, locals: [:])
        var total = graph.derivative(node, withRespectTo: graph.time)
        for j in stateIds.indices {
            let partial = graph.derivative(node, withRespectTo: graph.state(j))
            if graph.value(partial) == 0 { continue }
            total = graph.apply(.add, total, graph.apply(.mul, partial, try derivative(ofState: j)))
        }
        return total
    }

    // MARK: Initial values

    /// The node (in `initGraph`, whose parameters are the inputs) for the initial value of symbol `id`.
    func initialValue(_ id: String) throws -> Int {
        if let n = initMemo[id] { return n }
        guard !initInProgress.contains(id) else {
            throw SimulationError.invalidModel(ModelError.cyclicRules(ids: initInProgress.sorted()).description)
        }
        initInProgress.insert(id)
        defer { initInProgress.remove(id) }
        let node: Int
        if let rule = assignmentRules[id] {
            node = try lowerInitial(rule, locals: [:])
        } else if let ia = initialAssignments[id] {
            node = try lowerInitial(ia, locals: [:])
        } else if let s = speciesById[id] {
            let input = initGraph.parameter(inputIndex[id]!)
            if s.initialConcentration == nil && s.initialAmount == nil {
                throw SimulationError.invalidModel(ModelError.missingValue(id: id).description)
            }
            let givenAsAmount = s.initialConcentration == nil
            switch (givenAsAmount, s.hasOnlySubstanceUnits) {
            case (true, true), (false, false): node = input
            case (true, false): node = initGraph.apply(.div, input, try initialValue(s.compartment))
            case (false, true): node = initGraph.apply(.mul, input, try initialValue(s.compartment))
            }
        } else if let k = inputIndex[id] {
            if let ref = stoichiometryById[id], ref.stoichiometry == nil, ref.stoichiometryMath == nil {
                node = initGraph.constant(1)
            } else if defaultInputs[k].isNaN && stoichiometryById[id]?.stoichiometryMath == nil && referenced.contains(id) {
                throw SimulationError.invalidModel(ModelError.missingValue(id: id).description)
            } else if let math = stoichiometryById[id]?.stoichiometryMath {
                node = try lowerInitial(math, locals: [:])
            } else {
                node = initGraph.parameter(k)
            }
        } else if let (law, locals) = kineticLaws[id] {
            node = try lowerInitial(law, locals: locals)
        } else {
            throw SimulationError.invalidModel("undefined symbol '\(id)'")
        }
        initMemo[id] = node
        return node
    }

    private func lowerInitial(_ e: MathExpression, locals: [String: Double]) throws -> Int {
        try lower(e, in: initGraph, locals: locals, resolve: { try self.initialValue($0) }, rateOf: { e in
            try self.transplant(try self.rateOf(e))
        }, delay: { x, _ in try self.lowerInitial(x, locals: locals) })
    }

    /// Copies node `node` of the simulation graph into `initGraph`, replacing states and constant slots by
    /// their initial values (so `rateOf` in an initial value is the derivative at the start).
    private func transplant(_ node: Int) throws -> Int {
        if let n = transplantMemo[node] { return n }
        let result: Int
        switch graph.nodes[node] {
        case .constant(let bits): result = initGraph.constant(Double(bitPattern: bits))
        case .time: result = initGraph.time
        case .state(let i): result = try initialState(i)
        case .parameter(let k):
            // a delayed value at the start is the argument's initial value
            result = k < constantIds.count ? try initialConstant(constantIds[k]) : try transplant(delayArguments[k - constantIds.count])
        case .apply(let op, let a, let b, let c):
            result = initGraph.apply(op, try transplant(a), b >= 0 ? try transplant(b) : -1, c >= 0 ? try transplant(c) : -1)
        }
        transplantMemo[node] = result
        return result
    }

    /// The initial value of constant slot `id` (an amount for species in variable compartments).
    func initialConstant(_ id: String) throws -> Int {
        let value = try initialValue(id)
        if amountConstants.contains(id), let s = speciesById[id] {
            return initGraph.apply(.mul, value, try initialValue(s.compartment))
        }
        return value
    }

    /// The initial value of state `i` in its integrated representation (amounts for species amounts).
    func initialState(_ i: Int) throws -> Int {
        let id = stateIds[i]
        let value = try initialValue(id)
        if case .speciesAmount(let c, false) = stateKinds[i] {
            return initGraph.apply(.mul, value, try initialValue(c))
        }
        return value
    }

    // MARK: Expression lowering

    private func lower(_ e: MathExpression, in g: ExpressionGraph, locals: [String: Double],
                       resolve: (String) throws -> Int, rateOf: (MathExpression) throws -> Int,
                       delay: (MathExpression, MathExpression) throws -> Int) throws -> Int {
        func go(_ e: MathExpression) throws -> Int {
            switch e {
            case .number(let v): return g.constant(v)
            case .time: return g.time
            case .symbol(let id):
                if let v = locals[id] { return g.constant(v) }
                return try resolve(id)
            case .unary(.negate, let a): return g.apply(.neg, try go(a))
            case .unary(.not, let a): return g.apply(.not, try go(a))
            case .binary(let op, let l, let r):
                let a = try go(l), b = try go(r)
                let code: Opcode = switch op {
                case .add: .add
                case .subtract: .sub
                case .multiply: .mul
                case .divide: .div
                case .power: .pow
                case .equal: .eq
                case .notEqual: .ne
                case .less: .lt
                case .lessEqual: .le
                case .greater: .gt
                case .greaterEqual: .ge
                case .and: .and
                case .or: .or
                case .xor: .xor
                }
                return g.apply(code, a, b)
            case .piecewise(let pieces, let otherwise):
                var result = try otherwise.map(go) ?? g.constant(.nan)
                for piece in pieces.reversed() {
                    result = g.apply(.select, try go(piece.condition), try go(piece.value), result)
                }
                return result
            case .call(let id, _):
                throw SimulationError.invalidModel("call of undefined function '\(id)'")
            case .builtin(let f, let args):
                return try builtin(f, args)
            }
        }
        func builtin(_ f: BuiltinFunction, _ args: [MathExpression]) throws -> Int {
            switch f {
            case .rateOf:
                // local parameters are constant
                if case .symbol(let id) = args[0], locals[id] != nil { return g.zero }
                return try rateOf(args[0])
            case .delay: return try delay(args[0], args[1])
            case .min, .max:
                var acc = try go(args[0])
                for a in args.dropFirst() { acc = g.apply(f == .min ? .min : .max, acc, try go(a)) }
                return acc
            case .log: return g.apply(.logBase, try go(args[0]), try go(args[1]))
            case .root: return g.apply(.root, try go(args[0]), try go(args[1]))
            case .pow: return g.apply(.pow, try go(args[0]), try go(args[1]))
            case .quotient: return g.apply(.quotient, try go(args[0]), try go(args[1]))
            case .rem: return g.apply(.rem, try go(args[0]), try go(args[1]))
            default:
                guard let op = Opcode(unaryBuiltin: f) else {
                    throw SimulationError.unsupported(element: f.rawValue, reason: "not supported by the compiler")
                }
                return g.apply(op, try go(args[0]))
            }
        }
        return try go(e)
    }
}

extension Opcode {
    init?(unaryBuiltin f: BuiltinFunction) {
        switch f {
        case .exp: self = .exp
        case .ln: self = .ln
        case .log10: self = .log10
        case .log2: self = .log2
        case .sqrt: self = .sqrt
        case .abs: self = .abs
        case .floor: self = .floor
        case .ceil: self = .ceil
        case .factorial: self = .factorial
        case .sin: self = .sin
        case .cos: self = .cos
        case .tan: self = .tan
        case .sec: self = .sec
        case .csc: self = .csc
        case .cot: self = .cot
        case .sinh: self = .sinh
        case .cosh: self = .cosh
        case .tanh: self = .tanh
        case .sech: self = .sech
        case .csch: self = .csch
        case .coth: self = .coth
        case .asin: self = .asin
        case .acos: self = .acos
        case .atan: self = .atan
        case .asec: self = .asec
        case .acsc: self = .acsc
        case .acot: self = .acot
        case .asinh: self = .asinh
        case .acosh: self = .acosh
        case .atanh: self = .atanh
        case .asech: self = .asech
        case .acsch: self = .acsch
        case .acoth: self = .acoth
        default: return nil
        }
    }
}
