import ModelIR

/// Turns a model's algebraic rules `0 = f(...)` into assignment rules where that is exact.
///
/// Each algebraic rule determines one variable that nothing else determines (SBML L3 §4.11.4): not a
/// target of an assignment or rate rule, not a species changed by reactions, not constant. Rules are
/// matched to such variables by bipartite matching over the symbols each rule mentions (with
/// assignment rules substituted, so indirect dependence counts). Each rule must then be affine in its
/// variable, `f = a·x + b` with `a` and `b` free of `x` (checked symbolically: `∂f/∂x` must not mention
/// `x`, and `x` must not occur under a relational, logical or piecewise condition); it is solved as
/// `x := −b / a` and substituted into the rules not solved yet (symbolic Gaussian elimination), so
/// coupled linear systems of algebraic rules are solved exactly.
///
/// Rules that are not affine in any matchable variable are rejected with `SimulationError.unsupported`
/// naming the rule, never approximated.
enum AlgebraicRuleSolver {
    /// The model with every algebraic rule replaced by an assignment rule.
    /// - Throws: `SimulationError.unsupported` for a rule with no determinable variable or one that is
    ///   not affine in it.
    /// `undetermined` names species that reactions change but rules must determine (fast-reaction species).
    static func resolve(_ model: Model, undetermined: Set<String> = []) throws -> Model {
        let algebraic = model.rules.enumerated().compactMap { i, rule -> (Int, MathExpression)? in
            if case .algebraic(let e) = rule { return (i, e) }
            return nil
        }
        guard !algebraic.isEmpty else { return model }

        var assigned: [String: MathExpression] = [:]
        var determined = Set<String>()
        for rule in model.rules {
            switch rule {
            case .assignment(let v, let e): assigned[v] = e; determined.insert(v)
            case .rate(let v, _): determined.insert(v)
            case .algebraic: break
            }
        }
        let speciesById = Dictionary(model.species.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for r in model.reactions {
            for ref in r.reactants + r.products {
                if let s = speciesById[ref.species], !s.boundaryCondition, !s.constant { determined.insert(s.id) }
            }
        }
        var free: [String] = []
        free += model.compartments.filter { !$0.constant }.map(\.id)
        free += model.species.filter { !$0.constant }.map(\.id)
        free += model.parameters.filter { !$0.constant }.map(\.id)
        free += model.reactions.flatMap { ($0.reactants + $0.products).filter { !$0.constant }.compactMap(\.id) }
        determined.subtract(undetermined)
        free = free.filter { !determined.contains($0) }
        // Matched first: species left to rules on purpose (fast-reaction species), then symbols without a
        // value of their own, then the rest; symbols that events assign last (a rule would override them).
        let eventTargets = Set(model.events.flatMap { $0.assignments.map(\.variable) })
        var hasValue = Set<String>()
        for c in model.compartments where c.size != nil { hasValue.insert(c.id) }
        for s in model.species where s.initialAmount != nil || s.initialConcentration != nil { hasValue.insert(s.id) }
        for p in model.parameters where p.value != nil { hasValue.insert(p.id) }
        for ia in model.initialAssignments { hasValue.insert(ia.symbol) }
        func rank(_ id: String) -> Int {
            if undetermined.contains(id) { return 0 }
            if eventTargets.contains(id) { return 3 }
            return hasValue.contains(id) ? 2 : 1
        }
        free = free.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        let freeSet = Set(free)

        // f with assignment rules substituted until no assigned symbol remains (cycles are left to the lowering).
        func expanded(_ e: MathExpression) -> MathExpression {
            var out = e
            for _ in 0..<64 {
                let hits = out.referencedSymbols.filter { assigned[$0] != nil }
                if hits.isEmpty { break }
                out = out.substituting(assigned.filter { hits.contains($0.key) })
            }
            return out
        }
        var equations = algebraic.map { expanded($0.1) }
        let candidates = equations.map { eq in free.filter { eq.referencedSymbols.contains($0) && freeSet.contains($0) } }

        // Bipartite matching (augmenting paths), rules in order, candidates in model order.
        var owner: [String: Int] = [:]
        func augment(_ r: Int, _ seen: inout Set<String>) -> Bool {
            for v in candidates[r] where !seen.contains(v) {
                seen.insert(v)
                if let other = owner[v] {
                    if augment(other, &seen) { owner[v] = r; return true }
                } else {
                    owner[v] = r
                    return true
                }
            }
            return false
        }
        for r in equations.indices {
            var seen = Set<String>()
            guard augment(r, &seen) else {
                throw SimulationError.unsupported(element: "algebraic rule \(r + 1) (0 = \(algebraic[r].1))",
                                                  reason: "it determines no variable that is not already determined")
            }
        }
        var variableOf = [String](repeating: "", count: equations.count)
        for (v, r) in owner { variableOf[r] = v }

        // Symbolic elimination: solve rule k for its variable, substitute into the rules after it.
        var solutions: [(String, MathExpression)] = []
        for k in equations.indices {
            let x = variableOf[k]
            let f = equations[k]
            guard let solution = try solveAffine(f, for: x) else {
                throw SimulationError.unsupported(element: "algebraic rule \(k + 1) (0 = \(algebraic[k].1))",
                                                  reason: "it is not linear in the variable it determines, '\(x)'")
            }
            solutions.append((x, solution))
            for j in equations.indices where j > k {
                equations[j] = equations[j].substituting([x: solution])
            }
        }
        // Earlier solutions may mention later variables; those now have assignment rules, so order is free.
        var out = model
        var next = 0
        out.rules = model.rules.map { rule in
            guard case .algebraic = rule else { return rule }
            defer { next += 1 }
            return .assignment(variable: solutions[next].0, math: solutions[next].1)
        }
        return out
    }

    /// `x` such that `f = 0`, when `f` is affine in `x`; nil otherwise.
    /// `rateOf` and `delay` terms that do not mention `x` are constants with respect to it: they are held
    /// as placeholder symbols while solving and put back in the solution.
    static func solveAffine(_ f: MathExpression, for x: String) throws -> MathExpression? {
        if !smoothIn(f, x) { return nil }
        var opaque: [String: MathExpression] = [:]
        let g = f.rewritten { node in
            guard case .builtin(let fn, let args) = node, fn == .rateOf || fn == .delay,
                  !args.contains(where: { $0.referencedSymbols.contains(x) }) else { return nil }
            let name = "\u{1}opaque\(opaque.count)"
            opaque[name] = node
            return .symbol(name)
        }
        let slope: MathExpression
        do { slope = try g.derivative(withRespectTo: x) } catch { return nil }
        if slope.referencedSymbols.contains(x) || slope.isZero { return nil }
        let offset = g.substituting([x: .number(0)]).simplified()
        return MathExpression.binary(.divide, .unary(.negate, offset), slope).simplified().substituting(opaque)
    }

    /// False when `x` occurs inside a condition, a comparison, a logical operator or a non-smooth builtin
    /// (where the symbolic derivative does not describe the dependence).
    private static func smoothIn(_ f: MathExpression, _ x: String) -> Bool {
        var ok = true
        f.visit { node in
            guard ok else { return }
            switch node {
            case .binary(let op, let l, let r) where op.isBoolean:
                if l.referencedSymbols.contains(x) || r.referencedSymbols.contains(x) { ok = false }
            case .unary(.not, let e):
                if e.referencedSymbols.contains(x) { ok = false }
            case .piecewise(let pieces, _):
                if pieces.contains(where: { $0.condition.referencedSymbols.contains(x) }) { ok = false }
            case .builtin(let fn, let args):
                switch fn {
                case .floor, .ceil, .abs, .min, .max, .quotient, .rem, .factorial, .rateOf, .delay:
                    if args.contains(where: { $0.referencedSymbols.contains(x) }) { ok = false }
                default: break
                }
            default: break
            }
        }
        return ok
    }
}
