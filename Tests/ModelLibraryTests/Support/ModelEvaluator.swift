import Foundation
import ModelIR

/// Evaluates a library model's right-hand side directly from its IR (rate rules and assignment
/// rules), for analytic checks such as equilibria, Jacobians and bifurcation points.
///
/// Independent of the Simulation compiler on purpose: the checks it supports test the model's
/// equations, not the solver. Only the constructs the library uses are supported.
struct ModelEvaluator {
    let model: Model
    /// Parameter values (defaults from the model, overridable).
    var parameters: [String: Double]

    init(_ model: Model) {
        self.model = model
        var values: [String: Double] = [:]
        for p in model.parameters { if let v = p.value { values[p.id] = v } }
        for c in model.compartments { if let v = c.size { values[c.id] = v } }
        parameters = values
    }

    /// d(state)/dt for every rate rule, given the species values in `state` at time `t`.
    func rates(_ state: [String: Double], time t: Double = 0) -> [String: Double] {
        let env = environment(state, time: t)
        var out: [String: Double] = [:]
        for rule in model.rules {
            if case .rate(let v, let math) = rule { out[v] = evaluate(math, env, time: t) }
        }
        return out
    }

    /// Parameters, the given state, and every assignment-rule variable.
    func environment(_ state: [String: Double], time t: Double = 0) -> [String: Double] {
        var env = parameters.merging(state) { _, s in s }
        let assignments = model.rules.compactMap { rule -> (String, MathExpression)? in
            if case .assignment(let v, let m) = rule { return (v, m) } else { return nil }
        }
        // Rules may be written in any order: resolve in passes until every value is defined.
        var pending = assignments
        for _ in 0...assignments.count where !pending.isEmpty {
            pending = pending.filter { (v, m) in
                guard m.referencedSymbols.allSatisfy({ env[$0] != nil }) else { return true }
                env[v] = evaluate(m, env, time: t)
                return false
            }
        }
        return env
    }

    /// Jacobian of the rate-rule right-hand side with respect to `variables` by central differences.
    func jacobian(_ state: [String: Double], variables: [String]) -> [[Double]] {
        variables.map { row in
            variables.map { column in
                let h = 1e-6 * max(1, abs(state[column] ?? 0))
                var plus = state, minus = state
                plus[column, default: 0] += h
                minus[column, default: 0] -= h
                return ((rates(plus)[row] ?? 0) - (rates(minus)[row] ?? 0)) / (2 * h)
            }
        }
    }

    func evaluate(_ e: MathExpression, _ env: [String: Double], time t: Double) -> Double {
        switch e {
        case .number(let v): return v
        case .symbol(let id): return env[id] ?? .nan
        case .time: return t
        case .unary(.negate, let a): return -evaluate(a, env, time: t)
        case .unary(.not, let a): return evaluate(a, env, time: t) == 0 ? 1 : 0
        case .binary(let op, let l, let r):
            let a = evaluate(l, env, time: t), b = evaluate(r, env, time: t)
            switch op {
            case .add: return a + b
            case .subtract: return a - b
            case .multiply: return a * b
            case .divide: return a / b
            case .power: return pow(a, b)
            case .equal: return a == b ? 1 : 0
            case .notEqual: return a != b ? 1 : 0
            case .less: return a < b ? 1 : 0
            case .lessEqual: return a <= b ? 1 : 0
            case .greater: return a > b ? 1 : 0
            case .greaterEqual: return a >= b ? 1 : 0
            case .and: return (a != 0 && b != 0) ? 1 : 0
            case .or: return (a != 0 || b != 0) ? 1 : 0
            case .xor: return ((a != 0) != (b != 0)) ? 1 : 0
            }
        case .builtin(let f, let args):
            let x = args.map { evaluate($0, env, time: t) }
            switch f {
            case .exp: return Foundation.exp(x[0])
            case .ln: return Foundation.log(x[0])
            case .log10: return Foundation.log10(x[0])
            case .sqrt: return x[0].squareRoot()
            case .abs: return Swift.abs(x[0])
            case .pow: return Foundation.pow(x[0], x[1])
            case .min: return x.min() ?? .nan
            case .max: return x.max() ?? .nan
            default: return .nan
            }
        case .piecewise(let pieces, let otherwise):
            for piece in pieces where evaluate(piece.condition, env, time: t) != 0 {
                return evaluate(piece.value, env, time: t)
            }
            return otherwise.map { evaluate($0, env, time: t) } ?? .nan
        case .call:
            return .nan
        }
    }
}

/// Real parts of the eigenvalues of a 2x2 or 3x3 matrix are all negative (Routh-Hurwitz).
func isStable(_ j: [[Double]]) -> Bool { stabilityMargin(j) > 0 }

/// A continuous quantity whose sign change marks a loss of stability: for 2x2, min(-trace, det);
/// for 3x3 the Routh-Hurwitz quantity a1*a2 - a3 (with a1, a3 > 0 required separately).
func stabilityMargin(_ j: [[Double]]) -> Double {
    if j.count == 2 {
        let trace = j[0][0] + j[1][1]
        let det = j[0][0] * j[1][1] - j[0][1] * j[1][0]
        return min(-trace, det)
    }
    // characteristic polynomial lambda^3 + a1 lambda^2 + a2 lambda + a3
    let a1 = -(j[0][0] + j[1][1] + j[2][2])
    let a2 = j[0][0] * j[1][1] - j[0][1] * j[1][0] + j[0][0] * j[2][2] - j[0][2] * j[2][0]
        + j[1][1] * j[2][2] - j[1][2] * j[2][1]
    let det = j[0][0] * (j[1][1] * j[2][2] - j[1][2] * j[2][1])
        - j[0][1] * (j[1][0] * j[2][2] - j[1][2] * j[2][0])
        + j[0][2] * (j[1][0] * j[2][1] - j[1][1] * j[2][0])
    let a3 = -det
    guard a1 > 0, a3 > 0 else { return -1 }
    return a1 * a2 - a3
}

/// A root of `f` in [a, b] by bisection (f(a) and f(b) must differ in sign).
func bisect(_ a: Double, _ b: Double, iterations: Int = 200, _ f: (Double) -> Double) -> Double {
    var (lo, hi) = (a, b)
    let flo = f(lo)
    for _ in 0..<iterations {
        let mid = 0.5 * (lo + hi)
        if (f(mid) > 0) == (flo > 0) { lo = mid } else { hi = mid }
        if hi - lo <= 1e-15 * max(1, abs(mid)) { break }
    }
    return 0.5 * (lo + hi)
}
