import Foundation
import Testing
@testable import ModelIR

/// Evaluates an expression tree directly (test oracle, independent of the compiler).
func evaluate(_ e: MathExpression, _ env: [String: Double]) -> Double {
    switch e {
    case .number(let v): return v
    case .symbol(let s): return env[s]!
    case .time: return env["time"] ?? 0
    case .unary(.negate, let a): return -evaluate(a, env)
    case .unary(.not, let a): return evaluate(a, env) == 0 ? 1 : 0
    case .binary(let op, let l, let r):
        let a = evaluate(l, env), b = evaluate(r, env)
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return pow(a, b)
        case .greater: return a > b ? 1 : 0
        case .greaterEqual: return a >= b ? 1 : 0
        case .less: return a < b ? 1 : 0
        case .lessEqual: return a <= b ? 1 : 0
        default: fatalError("not needed")
        }
    case .builtin(let f, let args):
        let v = args.map { evaluate($0, env) }
        switch f {
        case .exp: return exp(v[0])
        case .ln: return log(v[0])
        case .log10: return log10(v[0])
        case .sqrt: return sqrt(v[0])
        case .sin: return sin(v[0])
        case .cos: return cos(v[0])
        case .tan: return tan(v[0])
        case .sec: return 1 / cos(v[0])
        case .atan: return atan(v[0])
        case .tanh: return tanh(v[0])
        case .sech: return 1 / cosh(v[0])
        case .abs: return abs(v[0])
        case .min: return v.min()!
        case .max: return v.max()!
        case .log: return log(v[1]) / log(v[0])
        case .asec: return acos(1 / v[0])
        default: fatalError("not needed")
        }
    case .piecewise(let pieces, let otherwise):
        for p in pieces where evaluate(p.condition, env) != 0 { return evaluate(p.value, env) }
        return otherwise.map { evaluate($0, env) } ?? .nan
    case .call: fatalError("inline first")
    }
}

@Suite struct DerivativeTests {
    @Test(arguments: ["k1*x*y/(Km + x)", "x^2.5 * exp(-y*x)", "y^x", "log10(x) + ln(x*y) - sqrt(x)",
                      "sin(x)*cos(y) + tan(x*y)", "tanh(x) - atan(x^2)", "abs(x - y) + min(x, y) + max(x, 2*y)",
                      "piecewise(x^2, x > 1, y*x)", "log(3, x*y)", "asec(x + 1)", "-x/(1 + (y/0.28)^2)",
                      "x^6 / (0.06^6 + x^6)"])
    func matchesCentralDifferences(text: String) throws {
        let e = try ExpressionParser.parse(text)
        let env = ["x": 1.37, "y": 0.61, "k1": 2.0, "Km": 0.5]
        for v in ["x", "y"] {
            let d = try e.derivative(withRespectTo: v)
            let h = 1e-6
            var up = env, down = env
            up[v]! += h
            down[v]! -= h
            let fd = (evaluate(e, up) - evaluate(e, down)) / (2 * h)
            let exact = evaluate(d, env)
            // Central differences have error O(h^2 f''') + O(eps f / h): about 1e-9 relative here.
            #expect(abs(exact - fd) <= 1e-7 * max(1, abs(fd)), "d/d\(v) \(text): \(d) = \(exact), fd \(fd)")
        }
    }

    @Test func simplifiesNeutralElements() throws {
        let d = try ExpressionParser.parse("3*x + y").derivative(withRespectTo: "x")
        #expect(d == .number(3))
        #expect(try ExpressionParser.parse("k*y").derivative(withRespectTo: "x") == .number(0))
    }

    @Test func refusesDelay() throws {
        let e = try ExpressionParser.parse("delay(x, 2)")
        #expect(throws: ModelError.self) { try e.derivative(withRespectTo: "x") }
    }
}
