import Foundation

/// A directed acyclic graph of scalar operations with hash-consing: equal subexpressions are stored once,
/// so the right-hand side, Jacobian, outputs and event functions of a model share their common work.
///
/// Node ids are dense and every node's operands have smaller ids, so id order is a valid evaluation order.
/// Construction folds constants and removes neutral elements (`x + 0`, `x * 1`, `0 * x`).
final class ExpressionGraph {
    enum Node: Hashable {
        case constant(UInt64)      // bit pattern of the value, so NaN hashes and compares consistently
        case time
        case state(Int)
        case parameter(Int)
        case apply(Opcode, Int, Int, Int)
    }

    private(set) var nodes: [Node] = []
    /// Whether each node depends on time or a state (the others are invariant during a simulation; the register
    /// layout hoists them into the invariant program).
    private(set) var dependsOnTimeOrState: [Bool] = []
    private var lookup: [Node: Int] = [:]
    private var derivativeMemo: [Int64: Int] = [:]

    /// The id of a node equal to `node`, adding it if new.
    func intern(_ node: Node) -> Int {
        if let id = lookup[node] { return id }
        nodes.append(node)
        switch node {
        case .time, .state: dependsOnTimeOrState.append(true)
        case .constant, .parameter: dependsOnTimeOrState.append(false)
        case .apply(let op, let a, let b, let c):
            dependsOnTimeOrState.append(dependsOnTimeOrState[a] || (op.arity >= 2 && dependsOnTimeOrState[b])
                                        || (op.arity == 3 && dependsOnTimeOrState[c]))
        }
        lookup[node] = nodes.count - 1
        return nodes.count - 1
    }

    func constant(_ v: Double) -> Int { intern(.constant(v.bitPattern)) }
    var zero: Int { constant(0) }
    var one: Int { constant(1) }
    var time: Int { intern(.time) }
    func state(_ i: Int) -> Int { intern(.state(i)) }
    func parameter(_ k: Int) -> Int { intern(.parameter(k)) }

    /// The literal value of node `id`, if it is a constant.
    func value(_ id: Int) -> Double? {
        if case .constant(let bits) = nodes[id] { return Double(bitPattern: bits) }
        return nil
    }

    /// Adds an operation, simplifying where the result is known without evaluating.
    func apply(_ op: Opcode, _ a: Int, _ b: Int = -1, _ c: Int = -1) -> Int {
        let va = value(a), vb = b >= 0 ? value(b) : nil
        if op.arity == 1, let x = va { return constant(Opcode.apply(op, x, 0, 0)) }
        if op.arity == 2, let x = va, let y = vb { return constant(Opcode.apply(op, x, y, 0)) }
        switch op {
        case .add:
            if va == 0 { return b }
            if vb == 0 { return a }
            // a + (−x) and (−x) + b are exactly a − x and b − x in IEEE arithmetic (subtraction is defined as
            // adding the negation), so a consumed species' −rate terms cost no negation
            if case .apply(.neg, let x, _, _) = nodes[b] { return apply(.sub, a, x) }
            if case .apply(.neg, let x, _, _) = nodes[a] { return apply(.sub, b, x) }
        case .sub:
            if vb == 0 { return a }
            if va == 0 { return apply(.neg, b) }
            if a == b { return zero }
            if case .apply(.neg, let x, _, _) = nodes[b] { return apply(.add, a, x) }  // a − (−x) = a + x exactly
        case .mul:
            if va == 0 || vb == 0 { return zero }
            if va == 1 { return b }
            if vb == 1 { return a }
            if va == -1 { return apply(.neg, b) }
            if vb == -1 { return apply(.neg, a) }
        case .div:
            if va == 0 { return zero }
            if vb == 1 { return a }
            // a varying quotient of an invariant divisor (a compartment size, a parameter, a constant): a product
            // with the reciprocal, which the invariant program computes once per simulation (one rounding more,
            // ≤ 1 ulp; a division costs 4–16 multiplications' time in the per-step programs and the outputs)
            if dependsOnTimeOrState[a] && !dependsOnTimeOrState[b] { return apply(.mul, a, apply(.div, one, b)) }
        case .pow:
            if vb == 0 { return one }
            if vb == 1 { return a }
            if vb == 2 { return apply(.square, a) }
            if vb == 3 { return apply(.cube, a) }
            if vb == 0.5 { return apply(.sqrt, a) }
            if let e = vb, e == e.rounded(), abs(e) <= 16 { return integerPower(a, Int(e)) }
        case .neg:
            if case .apply(.neg, let inner, _, _) = nodes[a] { return inner }
        case .select:
            if let cond = va { return cond != 0 ? b : c }
            if b == c { return b }
        default: break
        }
        return intern(.apply(op, a, b, c))
    }

    /// a^n by repeated squaring (exact for integer n, and 5-20x cheaper than `pow`).
    private func integerPower(_ a: Int, _ n: Int) -> Int {
        if n < 0 { return apply(.div, one, integerPower(a, -n)) }
        if n == 0 { return one }
        if n == 1 { return a }
        if n == 2 { return apply(.square, a) }
        if n == 3 { return apply(.cube, a) }
        let half = integerPower(a, n / 2)
        let squared = apply(.square, half)
        return n % 2 == 0 ? squared : apply(.mul, squared, a)
    }

    /// The node for d(node)/d(variable), where `variable` is the id of a `.state`, `.parameter` or `.time`
    /// leaf. Derivatives are memoised, so differentiating many outputs shares work.
    func derivative(_ id: Int, withRespectTo variable: Int) -> Int {
        let key = Int64(id) << 32 | Int64(variable)
        if let d = derivativeMemo[key] { return d }
        let d = computeDerivative(id, variable)
        derivativeMemo[key] = d
        return d
    }

    private func computeDerivative(_ id: Int, _ x: Int) -> Int {
        guard case .apply(let op, let a, let b, let c) = nodes[id] else { return id == x ? one : zero }
        let da = derivative(a, withRespectTo: x)
        let db = b >= 0 && op != .select ? derivative(b, withRespectTo: x) : zero
        func chain(_ outer: @autoclosure () -> Int) -> Int { value(da) == 0 ? zero : apply(.mul, outer(), da) }
        switch op {
        case .add: return apply(.add, da, db)
        case .sub: return apply(.sub, da, db)
        case .mul: return apply(.add, apply(.mul, da, b), apply(.mul, a, db))
        case .div:
            // (a/b)' = a'/b - a b' / b^2
            let first = apply(.div, da, b)
            if value(db) == 0 { return first }
            return apply(.sub, first, apply(.div, apply(.mul, a, db), apply(.square, b)))
        case .pow:
            var result = zero
            if value(da) != 0 {
                result = apply(.mul, apply(.mul, b, apply(.pow, a, apply(.sub, b, one))), da)
            }
            if value(db) != 0 {
                // a^b · ln a, with its limit 0 where a^b = 0 (a = 0 < b: 0 · −∞ would be NaN)
                let term = apply(.select, apply(.eq, id, zero), zero, apply(.mul, id, apply(.ln, a)))
                result = apply(.add, result, apply(.mul, term, db))
            }
            return result
        case .square: return chain(apply(.mul, constant(2), a))
        case .cube: return chain(apply(.mul, constant(3), apply(.square, a)))
        case .min, .max:
            let pick = apply(op == .min ? .le : .ge, a, b)
            return apply(.select, pick, da, db)
        case .select:
            return apply(.select, a, derivative(b, withRespectTo: x), derivative(c, withRespectTo: x))
        case .logBase:
            // log_a(b) = ln b / ln a
            return derivative(apply(.div, apply(.ln, b), apply(.ln, a)), withRespectTo: x)
        case .root:
            return derivative(apply(.pow, b, apply(.div, one, a)), withRespectTo: x)
        case .mulAdd, .mulSub, .subMul:
            // fused forms only appear in emitted programs, but their derivatives are well defined
            let product = apply(.add, apply(.mul, da, b), apply(.mul, a, db))
            let dc = derivative(c, withRespectTo: x)
            switch op {
            case .mulAdd: return apply(.add, product, dc)
            case .mulSub: return apply(.sub, product, dc)
            default: return apply(.sub, dc, product)
            }
        case .eq, .ne, .lt, .le, .gt, .ge, .and, .or, .xor, .not, .floor, .ceil, .factorial, .quotient, .rem:
            return zero
        case .neg: return apply(.neg, da)
        case .exp: return chain(id)
        case .ln: return chain(apply(.div, one, a))
        case .log10: return chain(apply(.div, one, apply(.mul, a, constant(M_LN10))))
        case .log2: return chain(apply(.div, one, apply(.mul, a, constant(M_LN2))))
        case .sqrt: return chain(apply(.div, constant(0.5), id))
        case .abs: return chain(apply(.select, apply(.ge, a, zero), one, constant(-1)))
        case .sin: return chain(apply(.cos, a))
        case .cos: return chain(apply(.neg, apply(.sin, a)))
        case .tan: return chain(apply(.square, apply(.sec, a)))
        case .sec: return chain(apply(.mul, id, apply(.tan, a)))
        case .csc: return chain(apply(.neg, apply(.mul, id, apply(.cot, a))))
        case .cot: return chain(apply(.neg, apply(.square, apply(.csc, a))))
        case .sinh: return chain(apply(.cosh, a))
        case .cosh: return chain(apply(.sinh, a))
        case .tanh: return chain(apply(.square, apply(.sech, a)))
        case .sech: return chain(apply(.neg, apply(.mul, id, apply(.tanh, a))))
        case .csch: return chain(apply(.neg, apply(.mul, id, apply(.coth, a))))
        case .coth: return chain(apply(.neg, apply(.square, apply(.csch, a))))
        case .asin: return chain(apply(.div, one, apply(.sqrt, apply(.sub, one, apply(.square, a)))))
        case .acos: return chain(apply(.neg, apply(.div, one, apply(.sqrt, apply(.sub, one, apply(.square, a))))))
        case .atan: return chain(apply(.div, one, apply(.add, one, apply(.square, a))))
        case .asinh: return chain(apply(.div, one, apply(.sqrt, apply(.add, apply(.square, a), one))))
        case .acosh: return chain(apply(.div, one, apply(.sqrt, apply(.sub, apply(.square, a), one))))
        case .atanh: return chain(apply(.div, one, apply(.sub, one, apply(.square, a))))
        case .asec, .acsc, .acot, .asech, .acsch, .acoth:
            let inverse: [Opcode: Opcode] = [.asec: .acos, .acsc: .asin, .acot: .atan, .asech: .acosh, .acsch: .asinh, .acoth: .atanh]
            return derivative(apply(inverse[op]!, apply(.div, one, a)), withRespectTo: x)
        }
    }
}
