/// A mathematical expression of a model: kinetic laws, rules, event triggers and assignments.
///
/// Expressions are plain values. Identifiers (`.symbol`) are resolved against the model only when it is
/// compiled, so an expression can be built, printed and differentiated without a model. Booleans are
/// represented numerically where a number is needed (true = 1, false = 0), as in SBML.
public indirect enum MathExpression: Hashable, Sendable, Codable {
    /// A literal number.
    case number(Double)
    /// A reference to a model element (species, compartment, parameter, reaction, species reference,
    /// function argument or local parameter) by its id.
    case symbol(String)
    /// The simulation time (SBML csymbol `time`, Antimony `time`).
    case time
    /// A unary operation.
    case unary(UnaryOperator, MathExpression)
    /// A binary operation.
    case binary(BinaryOperator, MathExpression, MathExpression)
    /// A built-in function applied to its arguments (the number of arguments is checked by `validate`).
    case builtin(BuiltinFunction, [MathExpression])
    /// A call of a user-defined function (SBML functionDefinition) by id.
    case call(String, [MathExpression])
    /// `piecewise(value1, condition1, value2, condition2, ..., otherwise)`: the value of the first piece
    /// whose condition is true, else `otherwise` (NaN when there is none, which the solver reports).
    case piecewise([Piece], otherwise: MathExpression?)

    /// One `(value, condition)` branch of a piecewise expression.
    public struct Piece: Hashable, Sendable, Codable {
        public var value: MathExpression
        public var condition: MathExpression
        public init(value: MathExpression, condition: MathExpression) {
            self.value = value
            self.condition = condition
        }
    }
}

/// Operators with one operand.
public enum UnaryOperator: String, Hashable, Sendable, Codable, CaseIterable {
    /// Arithmetic negation `-x`.
    case negate
    /// Logical negation `not x` / `!x`: 1 when x == 0, else 0.
    case not
}

/// Operators with two operands. Comparisons and logical operators yield 1 (true) or 0 (false).
public enum BinaryOperator: String, Hashable, Sendable, Codable, CaseIterable {
    case add, subtract, multiply, divide, power
    case equal, notEqual, less, lessEqual, greater, greaterEqual
    case and, or, xor

    /// The infix spelling used by the Antimony / SBML L3 infix syntax.
    public var symbol: String {
        switch self {
        case .add: "+"
        case .subtract: "-"
        case .multiply: "*"
        case .divide: "/"
        case .power: "^"
        case .equal: "=="
        case .notEqual: "!="
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        case .and: "&&"
        case .or: "||"
        case .xor: "xor"
        }
    }

    /// Binding strength for printing and parsing (higher binds tighter).
    public var precedence: Int {
        switch self {
        case .or, .xor: 1
        case .and: 2
        case .equal, .notEqual: 3
        case .less, .lessEqual, .greater, .greaterEqual: 4
        case .add, .subtract: 5
        case .multiply, .divide: 6
        case .power: 8
        }
    }

    /// True for operators whose result is a truth value.
    public var isBoolean: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .power: false
        default: true
        }
    }
}

/// Functions every model can use without defining them.
public enum BuiltinFunction: String, Hashable, Sendable, Codable, CaseIterable {
    case exp, ln, log10, log2
    /// `log(base, x)` with two arguments; with one argument the parser produces `ln`.
    case log
    case sqrt, abs, floor, ceil, factorial
    /// `root(degree, x)`.
    case root
    case pow
    case sin, cos, tan, sec, csc, cot
    case sinh, cosh, tanh, sech, csch, coth
    case asin, acos, atan, asec, acsc, acot
    case asinh, acosh, atanh, asech, acsch, acoth
    case min, max
    /// `quotient(a, b)` = floor(a / b), `rem(a, b)` = a - b * trunc(a / b) (SBML L3v2).
    case quotient, rem
    /// `rateOf(x)`: the current time derivative of `x` (SBML L3v2 csymbol).
    case rateOf
    /// `delay(x, tau)`: the value of `x` at `time - tau` (SBML csymbol). Only compiled where supported.
    case delay

    /// The accepted argument counts.
    public var arity: ClosedRange<Int> {
        switch self {
        case .log, .root, .pow, .quotient, .rem, .delay: 2...2
        case .min, .max: 1...Int.max
        default: 1...1
        }
    }
}

extension MathExpression {
    /// Shorthand for `.number(value)`.
    public static func literal(_ value: Double) -> MathExpression { .number(value) }

    /// The ids this expression refers to (symbols and called function ids are reported separately).
    public var referencedSymbols: Set<String> {
        var out = Set<String>()
        visit { if case .symbol(let id) = $0 { out.insert(id) } }
        return out
    }

    /// The ids of user functions this expression calls.
    public var calledFunctions: Set<String> {
        var out = Set<String>()
        visit { if case .call(let id, _) = $0 { out.insert(id) } }
        return out
    }

    /// True when any node satisfies `predicate`.
    public func contains(where predicate: (MathExpression) -> Bool) -> Bool {
        var found = false
        visit { if !found && predicate($0) { found = true } }
        return found
    }

    /// Calls `body` on this node and every node below it, parents first.
    public func visit(_ body: (MathExpression) -> Void) {
        body(self)
        switch self {
        case .number, .symbol, .time: break
        case .unary(_, let e): e.visit(body)
        case .binary(_, let l, let r):
            l.visit(body)
            r.visit(body)
        case .builtin(_, let args), .call(_, let args):
            for a in args { a.visit(body) }
        case .piecewise(let pieces, let otherwise):
            for p in pieces {
                p.value.visit(body)
                p.condition.visit(body)
            }
            otherwise?.visit(body)
        }
    }

    /// Rebuilds the expression bottom-up, letting `transform` replace any node after its children were
    /// rebuilt. Returning `nil` keeps the rebuilt node.
    public func rewritten(_ transform: (MathExpression) -> MathExpression?) -> MathExpression {
        let rebuilt: MathExpression
        switch self {
        case .number, .symbol, .time: rebuilt = self
        case .unary(let op, let e): rebuilt = .unary(op, e.rewritten(transform))
        case .binary(let op, let l, let r): rebuilt = .binary(op, l.rewritten(transform), r.rewritten(transform))
        case .builtin(let f, let args): rebuilt = .builtin(f, args.map { $0.rewritten(transform) })
        case .call(let f, let args): rebuilt = .call(f, args.map { $0.rewritten(transform) })
        case .piecewise(let pieces, let otherwise):
            rebuilt = .piecewise(
                pieces.map { Piece(value: $0.value.rewritten(transform), condition: $0.condition.rewritten(transform)) },
                otherwise: otherwise?.rewritten(transform))
        }
        return transform(rebuilt) ?? rebuilt
    }

    /// Replaces symbols by expressions (used to inline function calls and assignment rules).
    public func substituting(_ map: [String: MathExpression]) -> MathExpression {
        if map.isEmpty { return self }
        return rewritten { node in
            if case .symbol(let id) = node, let e = map[id] { return e }
            return nil
        }
    }

    /// Inlines every call of a function in `functions` (recursively), so the result calls none of them.
    /// - Throws: `ModelError.unknownFunction` for a call of an undefined id, `.functionArity` for a call
    ///   with the wrong number of arguments, `.recursiveFunction` when definitions call each other in a cycle.
    public func inliningFunctions(_ functions: [String: FunctionDefinition], depth: Int = 0) throws -> MathExpression {
        if depth > 64 { throw ModelError.recursiveFunction(id: calledFunctions.sorted().first ?? "?") }
        var failure: ModelError?
        let out = rewritten { node in
            guard failure == nil, case .call(let id, let args) = node else { return nil }
            guard let f = functions[id] else {
                failure = .unknownFunction(id: id)
                return nil
            }
            guard f.arguments.count == args.count else {
                failure = .functionArity(id: id, expected: f.arguments.count, got: args.count)
                return nil
            }
            do {
                let body = try f.body.inliningFunctions(functions, depth: depth + 1)
                return body.substituting(Dictionary(uniqueKeysWithValues: zip(f.arguments, args)))
            } catch let e as ModelError {
                failure = e
                return nil
            } catch {
                return nil
            }
        }
        if let failure { throw failure }
        return out
    }
}
