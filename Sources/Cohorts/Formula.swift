#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ModelIR

/// A formula over named values (covariates, parameters, endpoint values) with its symbols resolved to
/// slots once, so evaluating it per patient needs no dictionary look-ups.
///
/// Supports numbers, symbols, arithmetic, comparisons and logic (true = 1, false = 0), `piecewise`, and the
/// built-ins `exp ln log log10 log2 sqrt abs floor ceil min max pow`.
public struct Formula: Sendable {
    indirect enum Node: Sendable {
        case number(Double)
        case slot(Int)
        case unary(UnaryOperator, Node)
        case binary(BinaryOperator, Node, Node)
        case builtin(BuiltinFunction, [Node])
        case piecewise([(Node, Node)], Node?)
    }

    let root: Node
    /// The formula as written.
    public let expression: MathExpression

    /// - Parameters:
    ///   - expression: the parsed formula.
    ///   - slots: the names the formula may use, in slot order.
    ///   - context: what the formula is (for error messages, e.g. "effect on kpn").
    /// - Throws: `CohortError.unknownSymbol` for a name not in `slots`; `.unsupportedExpression` for `time`,
    ///   user functions and unsupported built-ins.
    public init(_ expression: MathExpression, slots: [String], context: String) throws {
        self.expression = expression
        var index: [String: Int] = [:]
        for (k, s) in slots.enumerated() where index[s] == nil { index[s] = k }
        func build(_ e: MathExpression) throws -> Node {
            switch e {
            case .number(let v): return .number(v)
            case .symbol(let s):
                guard let k = index[s] else { throw CohortError.unknownSymbol(id: s, usedIn: context) }
                return .slot(k)
            case .time: throw CohortError.unsupportedExpression("'time' in \(context)")
            case .unary(let op, let a): return .unary(op, try build(a))
            case .binary(let op, let a, let b): return .binary(op, try build(a), try build(b))
            case .builtin(let f, let args):
                let allowed: Set<BuiltinFunction> = [.exp, .ln, .log, .log10, .log2, .sqrt, .abs, .floor, .ceil, .min, .max, .pow]
                guard allowed.contains(f) else { throw CohortError.unsupportedExpression("function \(f.rawValue) in \(context)") }
                return .builtin(f, try args.map(build))
            case .call(let name, _): throw CohortError.unsupportedExpression("function \(name) in \(context)")
            case .piecewise(let pieces, let otherwise):
                return .piecewise(try pieces.map { (try build($0.value), try build($0.condition)) }, try otherwise.map(build))
            }
        }
        root = try build(expression)
    }

    /// The value for the slot values `values` (booleans are 1 / 0).
    public func evaluate(_ values: [Double]) -> Double { Self.eval(root, values) }

    private static func eval(_ n: Node, _ v: [Double]) -> Double {
        switch n {
        case .number(let x): return x
        case .slot(let k): return v[k]
        case .unary(let op, let a):
            let x = eval(a, v)
            switch op {
            case .negate: return -x
            case .not: return x == 0 ? 1 : 0
            }
        case .binary(let op, let a, let b):
            let x = eval(a, v), y = eval(b, v)
            switch op {
            case .add: return x + y
            case .subtract: return x - y
            case .multiply: return x * y
            case .divide: return x / y
            case .power: return pow(x, y)
            case .equal: return x == y ? 1 : 0
            case .notEqual: return x != y ? 1 : 0
            case .less: return x < y ? 1 : 0
            case .lessEqual: return x <= y ? 1 : 0
            case .greater: return x > y ? 1 : 0
            case .greaterEqual: return x >= y ? 1 : 0
            case .and: return (x != 0 && y != 0) ? 1 : 0
            case .or: return (x != 0 || y != 0) ? 1 : 0
            case .xor: return ((x != 0) != (y != 0)) ? 1 : 0
            }
        case .builtin(let f, let args):
            let x = args.map { eval($0, v) }
            switch f {
            case .exp: return exp(x[0])
            case .ln: return log(x[0])
            case .log: return x.count == 2 ? log(x[1]) / log(x[0]) : log(x[0])
            case .log10: return log10(x[0])
            case .log2: return log2(x[0])
            case .sqrt: return x[0].squareRoot()
            case .abs: return abs(x[0])
            case .floor: return floor(x[0])
            case .ceil: return ceil(x[0])
            case .min: return x.min() ?? .nan
            case .max: return x.max() ?? .nan
            case .pow: return pow(x[0], x[1])
            default: return .nan
            }
        case .piecewise(let pieces, let otherwise):
            for (value, condition) in pieces where eval(condition, v) != 0 { return eval(value, v) }
            return otherwise.map { eval($0, v) } ?? .nan
        }
    }
}
