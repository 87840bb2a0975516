import Foundation
import ModelIR

/// An observable or noise formula with every symbol resolved to a slot: a simulation output column, a
/// PEtab parameter-table entry, or a number. Evaluated once per measurement (never inside the integrator).
indirect enum ResolvedExpression: Sendable {
    case constant(Double)
    case output(Int)
    case parameter(Int)
    case time
    case unary(UnaryOperator, ResolvedExpression)
    case binary(BinaryOperator, ResolvedExpression, ResolvedExpression)
    case builtin(BuiltinFunction, [ResolvedExpression])
    case piecewise([(value: ResolvedExpression, condition: ResolvedExpression)], otherwise: ResolvedExpression?)

    /// The functions `evaluate` implements.
    static let supportedFunctions: Set<BuiltinFunction> = [
        .exp, .ln, .log10, .log2, .log, .sqrt, .abs, .floor, .ceil, .pow, .root, .min, .max,
        .sin, .cos, .tan, .sinh, .cosh, .tanh, .asin, .acos, .atan,
    ]

    /// Resolves `e`, looking each symbol up with `symbol` (which returns nil for an unknown id).
    /// - Throws: `PEtabObjectiveError.unknownSymbol` / `.unsupported` naming the symbol or function and `context`.
    init(_ e: MathExpression, context: String, symbol: (String) -> ResolvedExpression?) throws {
        func go(_ e: MathExpression) throws -> ResolvedExpression {
            switch e {
            case .number(let v): return .constant(v)
            case .time: return .time
            case .symbol(let id):
                guard let r = symbol(id) else { throw PEtabObjectiveError.unknownSymbol(id: id, context: context) }
                return r
            case .unary(let op, let a): return .unary(op, try go(a))
            case .binary(let op, let a, let b): return .binary(op, try go(a), try go(b))
            case .builtin(let f, let args):
                guard ResolvedExpression.supportedFunctions.contains(f) else {
                    throw PEtabObjectiveError.unsupported(feature: "function \(f.rawValue)", context: context)
                }
                return .builtin(f, try args.map(go))
            case .call(let f, _):
                throw PEtabObjectiveError.unsupported(feature: "call of user function \(f)", context: context)
            case .piecewise(let pieces, let otherwise):
                return .piecewise(try pieces.map { (try go($0.value), try go($0.condition)) }, otherwise: try otherwise.map(go))
            }
        }
        self = try go(e)
    }

    /// The value with outputs `y` (one row of simulation outputs), parameter-table values `p` and time `t`.
    func evaluate(_ y: UnsafeBufferPointer<Double>, _ p: [Double], _ t: Double) -> Double {
        switch self {
        case .constant(let v): return v
        case .output(let k): return y[k]
        case .parameter(let k): return p[k]
        case .time: return t
        case .unary(.negate, let a): return -a.evaluate(y, p, t)
        case .unary(.not, let a): return a.evaluate(y, p, t) == 0 ? 1 : 0
        case .binary(let op, let a, let b):
            let x = a.evaluate(y, p, t), z = b.evaluate(y, p, t)
            switch op {
            case .add: return x + z
            case .subtract: return x - z
            case .multiply: return x * z
            case .divide: return x / z
            case .power: return Foundation.pow(x, z)
            case .equal: return x == z ? 1 : 0
            case .notEqual: return x != z ? 1 : 0
            case .less: return x < z ? 1 : 0
            case .lessEqual: return x <= z ? 1 : 0
            case .greater: return x > z ? 1 : 0
            case .greaterEqual: return x >= z ? 1 : 0
            case .and: return (x != 0 && z != 0) ? 1 : 0
            case .or: return (x != 0 || z != 0) ? 1 : 0
            case .xor: return ((x != 0) != (z != 0)) ? 1 : 0
            }
        case .builtin(let f, let args):
            let v = args.map { $0.evaluate(y, p, t) }
            switch f {
            case .exp: return Foundation.exp(v[0])
            case .ln: return Foundation.log(v[0])
            case .log10: return Foundation.log10(v[0])
            case .log2: return Foundation.log2(v[0])
            case .log: return Foundation.log(v[1]) / Foundation.log(v[0])
            case .sqrt: return v[0].squareRoot()
            case .abs: return Swift.abs(v[0])
            case .floor: return Foundation.floor(v[0])
            case .ceil: return Foundation.ceil(v[0])
            case .pow: return Foundation.pow(v[0], v[1])
            case .root: return Foundation.pow(v[1], 1 / v[0])
            case .min: return v.min() ?? .nan
            case .max: return v.max() ?? .nan
            case .sin: return Foundation.sin(v[0])
            case .cos: return Foundation.cos(v[0])
            case .tan: return Foundation.tan(v[0])
            case .sinh: return Foundation.sinh(v[0])
            case .cosh: return Foundation.cosh(v[0])
            case .tanh: return Foundation.tanh(v[0])
            case .asin: return Foundation.asin(v[0])
            case .acos: return Foundation.acos(v[0])
            case .atan: return Foundation.atan(v[0])
            default: return .nan
            }
        case .piecewise(let pieces, let otherwise):
            for piece in pieces where piece.condition.evaluate(y, p, t) != 0 { return piece.value.evaluate(y, p, t) }
            return otherwise?.evaluate(y, p, t) ?? .nan
        }
    }
}

extension ResolvedExpression {
    /// The parameter-table entries the expression reads.
    var referencedParameters: Set<Int> {
        switch self {
        case .constant, .output, .time: return []
        case .parameter(let k): return [k]
        case .unary(_, let a): return a.referencedParameters
        case .binary(_, let a, let b): return a.referencedParameters.union(b.referencedParameters)
        case .builtin(_, let args): return args.reduce(into: []) { $0.formUnion($1.referencedParameters) }
        case .piecewise(let pieces, let otherwise):
            var s = otherwise?.referencedParameters ?? []
            for piece in pieces { s.formUnion(piece.value.referencedParameters); s.formUnion(piece.condition.referencedParameters) }
            return s
        }
    }

    /// The factors of a product chain `a · b / c · …` (a divisor counts as one factor).
    private var factors: [ResolvedExpression] {
        switch self {
        case .binary(.multiply, let a, let b): return a.factors + b.factors
        case .binary(.divide, let a, let b): return a.factors + [b]
        default: return [self]
        }
    }

    /// Whether the expression is `p_k · u` with `u` free of `p_k`: a product chain with `.parameter(k)` as one
    /// factor and no other reference to entry k (so the value is proportional to p_k).
    func isProportional(toParameter k: Int) -> Bool {
        let f = factors
        let direct = f.filter { if case .parameter(k) = $0 { return true } else { return false } }.count
        return direct == 1 && f.allSatisfy { factor in
            if case .parameter(k) = factor { return true }
            return !factor.referencedParameters.contains(k)
        }
    }
}
