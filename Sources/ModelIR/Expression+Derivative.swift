import Foundation

extension MathExpression {
    /// The symbolic partial derivative with respect to the symbol `id`, simplified.
    ///
    /// User functions must be inlined first (`inliningFunctions`). Piecewise expressions differentiate
    /// branch by branch (conditions are held fixed, as they are between events); comparisons, `floor`,
    /// `ceil`, `quotient`, `rem` and `factorial` have derivative 0 almost everywhere.
    /// - Throws: `ModelError.unsupported` for `delay` and `rateOf`, whose derivatives are not local,
    ///   and for calls of user functions that were not inlined.
    public func derivative(withRespectTo id: String) throws -> MathExpression {
        try differentiate(id).simplified()
    }

    private func differentiate(_ x: String) throws -> MathExpression {
        switch self {
        case .number, .time: return .number(0)
        case .symbol(let s): return .number(s == x ? 1 : 0)
        case .unary(.negate, let e): return .unary(.negate, try e.differentiate(x))
        case .unary(.not, _): return .number(0)
        case .binary(let op, let u, let v):
            switch op {
            case .add: return .binary(.add, try u.differentiate(x), try v.differentiate(x))
            case .subtract: return .binary(.subtract, try u.differentiate(x), try v.differentiate(x))
            case .multiply:
                return .binary(.add, .binary(.multiply, try u.differentiate(x), v), .binary(.multiply, u, try v.differentiate(x)))
            case .divide:
                // (u' v - u v') / v^2  written as u'/v - u v' / v^2 (avoids forming v^2 when v' = 0)
                let du = try u.differentiate(x).simplified()
                let dv = try v.differentiate(x).simplified()
                return .binary(.subtract, .binary(.divide, du, v),
                               .binary(.divide, .binary(.multiply, u, dv), .binary(.power, v, .number(2))))
            case .power:
                let du = try u.differentiate(x).simplified()
                let dv = try v.differentiate(x).simplified()
                var terms: MathExpression = .number(0)
                if !du.isZero {
                    terms = .binary(.multiply, .binary(.multiply, v, .binary(.power, u, .binary(.subtract, v, .number(1)))), du)
                }
                if !dv.isZero {
                    terms = .binary(.add, terms, .binary(.multiply, .binary(.multiply, self, .builtin(.ln, [u])), dv))
                }
                return terms
            default: return .number(0)
            }
        case .builtin(let f, let args): return try Self.differentiateBuiltin(f, args, x)
        case .call(let id, _):
            throw ModelError.unsupported(element: "function '\(id)'", reason: "inline user functions before differentiating")
        case .piecewise(let pieces, let otherwise):
            return .piecewise(try pieces.map { .init(value: try $0.value.differentiate(x), condition: $0.condition) },
                              otherwise: try otherwise?.differentiate(x) ?? .number(0))
        }
    }

    private static func differentiateBuiltin(_ f: BuiltinFunction, _ a: [MathExpression], _ x: String) throws -> MathExpression {
        let u = a.first ?? .number(0)
        let du = try u.differentiate(x).simplified()
        func chain(_ outer: MathExpression) -> MathExpression { du.isZero ? .number(0) : .binary(.multiply, outer, du) }
        func sq(_ e: MathExpression) -> MathExpression { .binary(.power, e, .number(2)) }
        let one = MathExpression.number(1)
        switch f {
        case .exp: return chain(.builtin(.exp, [u]))
        case .ln: return chain(.binary(.divide, one, u))
        case .log10: return chain(.binary(.divide, one, .binary(.multiply, u, .number(M_LN10))))
        case .log2: return chain(.binary(.divide, one, .binary(.multiply, u, .number(M_LN2))))
        case .log:
            // log(b, v) = ln(v) / ln(b)
            return try MathExpression.binary(.divide, .builtin(.ln, [a[1]]), .builtin(.ln, [a[0]])).differentiate(x)
        case .sqrt: return chain(.binary(.divide, .number(0.5), .builtin(.sqrt, [u])))
        case .root:
            return try MathExpression.binary(.power, a[1], .binary(.divide, one, a[0])).differentiate(x)
        case .pow: return try MathExpression.binary(.power, a[0], a[1]).differentiate(x)
        case .abs:
            return chain(.piecewise([.init(value: one, condition: .binary(.greaterEqual, u, .number(0)))], otherwise: .number(-1)))
        case .floor, .ceil, .factorial, .quotient, .rem: return .number(0)
        case .sin: return chain(.builtin(.cos, [u]))
        case .cos: return chain(.unary(.negate, .builtin(.sin, [u])))
        case .tan: return chain(sq(.builtin(.sec, [u])))
        case .sec: return chain(.binary(.multiply, .builtin(.sec, [u]), .builtin(.tan, [u])))
        case .csc: return chain(.unary(.negate, .binary(.multiply, .builtin(.csc, [u]), .builtin(.cot, [u]))))
        case .cot: return chain(.unary(.negate, sq(.builtin(.csc, [u]))))
        case .sinh: return chain(.builtin(.cosh, [u]))
        case .cosh: return chain(.builtin(.sinh, [u]))
        case .tanh: return chain(sq(.builtin(.sech, [u])))
        case .sech: return chain(.unary(.negate, .binary(.multiply, .builtin(.sech, [u]), .builtin(.tanh, [u]))))
        case .csch: return chain(.unary(.negate, .binary(.multiply, .builtin(.csch, [u]), .builtin(.coth, [u]))))
        case .coth: return chain(.unary(.negate, sq(.builtin(.csch, [u]))))
        case .asin: return chain(.binary(.divide, one, .builtin(.sqrt, [.binary(.subtract, one, sq(u))])))
        case .acos: return chain(.unary(.negate, .binary(.divide, one, .builtin(.sqrt, [.binary(.subtract, one, sq(u))]))))
        case .atan: return chain(.binary(.divide, one, .binary(.add, one, sq(u))))
        case .asinh: return chain(.binary(.divide, one, .builtin(.sqrt, [.binary(.add, sq(u), one)])))
        case .acosh: return chain(.binary(.divide, one, .builtin(.sqrt, [.binary(.subtract, sq(u), one)])))
        case .atanh: return chain(.binary(.divide, one, .binary(.subtract, one, sq(u))))
        case .asec, .acsc, .acot, .asech, .acsch, .acoth:
            // Through the reciprocal identities: asec(u) = acos(1/u), etc.
            let inverse: [BuiltinFunction: BuiltinFunction] = [.asec: .acos, .acsc: .asin, .acot: .atan,
                                                              .asech: .acosh, .acsch: .asinh, .acoth: .atanh]
            return try MathExpression.builtin(inverse[f]!, [.binary(.divide, one, u)]).differentiate(x)
        case .min, .max:
            guard a.count > 1 else { return du }
            let rest = MathExpression.builtin(f, Array(a.dropFirst()))
            let choose: BinaryOperator = f == .min ? .lessEqual : .greaterEqual
            return .piecewise([.init(value: du, condition: .binary(choose, u, rest))], otherwise: try rest.differentiate(x))
        case .rateOf, .delay:
            throw ModelError.unsupported(element: f.rawValue, reason: "no analytic derivative; use finite differences")
        }
    }

    /// True for the literal 0.
    public var isZero: Bool { if case .number(let v) = self { return v == 0 } else { return false } }

    /// True for the literal 1.
    public var isOne: Bool { if case .number(let v) = self { return v == 1 } else { return false } }

    /// The numeric value when the expression is a literal.
    public var constantValue: Double? { if case .number(let v) = self { return v } else { return nil } }

    /// Folds constants and removes neutral elements (`x + 0`, `1 * x`, `x ^ 1`, `0 * x` → `0`).
    /// `0 * x` is folded to 0 even if x could be infinite: derivatives are used only where x is finite.
    public func simplified() -> MathExpression {
        rewritten { node in
            switch node {
            case .unary(.negate, .number(let v)): return .number(-v)
            case .unary(.negate, .unary(.negate, let e)): return e
            case .binary(let op, let l, let r):
                if let a = l.constantValue, let b = r.constantValue, !op.isBoolean {
                    return .number(Self.fold(op, a, b))
                }
                switch op {
                case .add:
                    if l.isZero { return r }
                    if r.isZero { return l }
                case .subtract:
                    if r.isZero { return l }
                    if l.isZero { return .unary(.negate, r) }
                case .multiply:
                    if l.isZero || r.isZero { return .number(0) }
                    if l.isOne { return r }
                    if r.isOne { return l }
                    if l.constantValue == -1 { return .unary(.negate, r) }
                    if r.constantValue == -1 { return .unary(.negate, l) }
                case .divide:
                    if l.isZero { return .number(0) }
                    if r.isOne { return l }
                case .power:
                    if r.isZero { return .number(1) }
                    if r.isOne { return l }
                default: break
                }
                return nil
            case .piecewise(let pieces, let otherwise):
                if let o = otherwise, pieces.allSatisfy({ $0.value == o }) { return o }
                return nil
            default: return nil
            }
        }
    }

    private static func fold(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: Foundation.pow(a, b)
        default: .nan
        }
    }
}
