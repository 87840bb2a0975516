import Foundation

extension MathExpression: CustomStringConvertible {
    /// The expression in infix syntax that `ExpressionParser.parse` reads back to an equal expression
    /// (numbers are printed with enough digits to round-trip exactly).
    public var description: String { infix(parentPrecedence: 0) }

    /// Formats a number so that `Double(text)` gives the same value back.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    private func infix(parentPrecedence: Int) -> String {
        switch self {
        case .number(let v):
            let s = MathExpression.format(v)
            return v < 0 && parentPrecedence > 0 ? "(\(s))" : s
        case .symbol(let id): return id
        case .time: return "time"
        case .unary(.negate, let e):
            let s = "-" + e.infix(parentPrecedence: 7)
            return parentPrecedence > 5 ? "(\(s))" : s
        case .unary(.not, let e): return "!" + e.infix(parentPrecedence: 9)
        case .binary(let op, let l, let r):
            let p = op.precedence
            let s: String
            if op == .power {
                s = l.infix(parentPrecedence: p + 1) + "^" + r.infix(parentPrecedence: p)
            } else {
                s = l.infix(parentPrecedence: p) + " \(op.symbol) " + r.infix(parentPrecedence: p + 1)
            }
            return p < parentPrecedence ? "(\(s))" : s
        case .builtin(let f, let args):
            return "\(f.rawValue)(\(args.map { $0.infix(parentPrecedence: 0) }.joined(separator: ", ")))"
        case .call(let f, let args):
            return "\(f)(\(args.map { $0.infix(parentPrecedence: 0) }.joined(separator: ", ")))"
        case .piecewise(let pieces, let otherwise):
            var parts: [String] = []
            for p in pieces {
                parts.append(p.value.infix(parentPrecedence: 0))
                parts.append(p.condition.infix(parentPrecedence: 0))
            }
            if let o = otherwise { parts.append(o.infix(parentPrecedence: 0)) }
            return "piecewise(\(parts.joined(separator: ", ")))"
        }
    }
}
