import Foundation
import ModelIR

/// Evaluates expressions numerically, to compare formulas that are equal but written differently
/// (`a*(b*c)` and `a*b*c`). Test support only: covers the functions the fixtures use.
enum ExpressionEvaluator {
    static func evaluate(_ e: MathExpression, _ values: [String: Double], time: Double) -> Double {
        func ev(_ e: MathExpression) -> Double { evaluate(e, values, time: time) }
        func truth(_ b: Bool) -> Double { b ? 1 : 0 }
        switch e {
        case .number(let v): return v
        case .symbol(let id): return values[id] ?? .nan
        case .time: return time
        case .unary(.negate, let x): return -ev(x)
        case .unary(.not, let x): return truth(ev(x) == 0)
        case .binary(let op, let l, let r):
            let a = ev(l), b = ev(r)
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return a / b
            case .power: return pow(a, b)
            case .equal: return truth(a == b)
            case .notEqual: return truth(a != b)
            case .less: return truth(a < b)
            case .lessEqual: return truth(a <= b)
            case .greater: return truth(a > b)
            case .greaterEqual: return truth(a >= b)
            case .and: return truth(a != 0 && b != 0)
            case .or: return truth(a != 0 || b != 0)
            case .xor: return truth((a != 0) != (b != 0))
            }
        case .builtin(let f, let args):
            let x = args.map(ev)
            switch f {
            case .exp: return exp(x[0])
            case .ln: return log(x[0])
            case .log10: return log10(x[0])
            case .log2: return log2(x[0])
            case .log: return log(x[1]) / log(x[0])
            case .sqrt: return x[0].squareRoot()
            case .abs: return abs(x[0])
            case .pow: return pow(x[0], x[1])
            case .min: return x.min() ?? .nan
            case .max: return x.max() ?? .nan
            case .sin: return sin(x[0])
            case .cos: return cos(x[0])
            case .floor: return floor(x[0])
            case .ceil: return ceil(x[0])
            default: return .nan
            }
        case .call: return .nan
        case .piecewise(let pieces, let otherwise):
            for p in pieces where ev(p.condition) != 0 { return ev(p.value) }
            return otherwise.map(ev) ?? .nan
        }
    }

    /// True when `a` and `b` agree (to 1e-12 relative) at a few deterministic points, after inlining
    /// the model's functions.
    static func agree(_ a: MathExpression, _ b: MathExpression, functions: [FunctionDefinition]) -> Bool {
        let table = Dictionary(functions.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        guard let a = try? a.inliningFunctions(table), let b = try? b.inliningFunctions(table) else { return false }
        let symbols = a.referencedSymbols.union(b.referencedSymbols).sorted()
        for point in 0..<3 {
            var values: [String: Double] = [:]
            for (i, id) in symbols.enumerated() { values[id] = 0.5 + Double((i * 7 + point * 13) % 17) / 11 }
            let x = evaluate(a, values, time: 1.7 + Double(point) * 40)
            let y = evaluate(b, values, time: 1.7 + Double(point) * 40)
            if x.isNaN && y.isNaN { continue }
            if abs(x - y) > 1e-12 * max(1, abs(x), abs(y)) { return false }
        }
        return true
    }
}
