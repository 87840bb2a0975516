import Foundation

/// Parses infix mathematics in the Antimony / SBML Level 3 infix syntax into an `MathExpression`.
///
/// Supported: numbers (`1`, `2.5e-3`, `.5`), identifiers, `time`, `true`/`false`, `pi`, `exponentiale`,
/// `avogadro`, `inf`/`INF`, `NaN`; `+ - * / ^` (also `**`), unary `-`/`+`/`!`/`not`; comparisons
/// `== != < <= > >=`; `&&`/`and`, `||`/`or`, `xor`; calls of built-in functions (`exp`, `ln`, `log`, `log10`,
/// `sqrt`, `abs`, `floor`, `ceil`, trigonometric and hyperbolic functions and their inverses, `min`, `max`,
/// `pow`, `root`, `piecewise`, `quotient`, `rem`, `rateOf`, `delay`, functional `and/or/not/xor/eq/gt/...`)
/// and of user functions. `log(x)` is the natural logarithm; `log(b, x)` the logarithm to base b.
/// `-x^2` is `-(x^2)` and `^` associates to the right.
///
/// - Throws: `ModelError.syntax` with the line and column (relative to the given text, offset by
///   `location`) of the first unexpected token.
public struct ExpressionParser {
    private var tokens: [Token]
    private var position = 0

    /// Parses a complete expression; trailing input is an error.
    public static func parse(_ text: String, at location: SourceLocation = .init(line: 1, column: 1)) throws -> MathExpression {
        var parser = try ExpressionParser(text: text, origin: location)
        let e = try parser.parseExpression()
        guard parser.peek.kind == .end else { throw parser.error("unexpected '\(parser.peek.text)' after expression") }
        return e
    }

    /// Tokenises `text` for parsing.
    public init(text: String, origin: SourceLocation = .init(line: 1, column: 1)) throws {
        tokens = try Lexer.tokenize(text, origin: origin)
    }

    var peek: Token { tokens[position] }

    mutating func advance() -> Token {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    func error(_ message: String) -> ModelError {
        .syntax(message: message, location: peek.location)
    }

    mutating func expect(_ text: String) throws {
        guard peek.text == text, peek.kind == .punctuation else {
            throw error("expected '\(text)' but found \(peek.kind == .end ? "end of input" : "'\(peek.text)'")")
        }
        _ = advance()
    }

    /// Parses one expression starting at the current token (used by statement parsers such as Antimony's).
    public mutating func parseExpression() throws -> MathExpression {
        try parseBinary(minimumPrecedence: 1)
    }

    private static let binaryOperators: [String: BinaryOperator] = [
        "||": .or, "or": .or, "xor": .xor, "&&": .and, "and": .and,
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual,
        "+": .add, "-": .subtract, "*": .multiply, "/": .divide,
    ]

    private mutating func parseBinary(minimumPrecedence: Int) throws -> MathExpression {
        var lhs = try parseUnary()
        while true {
            let t = peek
            guard t.kind == .punctuation || t.kind == .identifier, let op = Self.binaryOperators[t.text],
                  op.precedence >= minimumPrecedence else { return lhs }
            _ = advance()
            let rhs = try parseBinary(minimumPrecedence: op.precedence + 1)
            lhs = .binary(op, lhs, rhs)
        }
    }

    private mutating func parseUnary() throws -> MathExpression {
        let t = peek
        if t.kind == .punctuation && (t.text == "-" || t.text == "+" || t.text == "!") {
            _ = advance()
            let operand = try parseUnary()
            switch t.text {
            case "-":
                if case .number(let v) = operand { return .number(-v) }
                return .unary(.negate, operand)
            case "+": return operand
            default: return .unary(.not, operand)
            }
        }
        if t.kind == .identifier && t.text == "not" && tokens[position + 1].text != "(" {
            _ = advance()
            return .unary(.not, try parseUnary())
        }
        return try parsePower()
    }

    private mutating func parsePower() throws -> MathExpression {
        let base = try parsePrimary()
        if peek.kind == .punctuation && (peek.text == "^" || peek.text == "**") {
            _ = advance()
            let exponent = try parseUnary()  // right-associative, allows 2^-x
            return .binary(.power, base, exponent)
        }
        return base
    }

    private mutating func parsePrimary() throws -> MathExpression {
        let t = advance()
        switch t.kind {
        case .number:
            guard let v = Double(t.text) else {
                position -= 1
                throw error("malformed number '\(t.text)'")
            }
            return .number(v)
        case .identifier:
            if peek.kind == .punctuation && peek.text == "(" {
                _ = advance()
                var args: [MathExpression] = []
                if !(peek.kind == .punctuation && peek.text == ")") {
                    args.append(try parseExpression())
                    while peek.kind == .punctuation && peek.text == "," {
                        _ = advance()
                        args.append(try parseExpression())
                    }
                }
                try expect(")")
                do {
                    return try FunctionNames.make(t.text, args)
                } catch let e as ModelError {
                    if case .builtinArity = e { throw ModelError.syntax(message: e.description, location: t.location) }
                    throw e
                }
            }
            return FunctionNames.constant(t.text) ?? .symbol(t.text)
        case .punctuation where t.text == "(":
            let e = try parseExpression()
            try expect(")")
            return e
        case .end:
            throw ModelError.syntax(message: "unexpected end of expression", location: t.location)
        default:
            throw ModelError.syntax(message: "unexpected '\(t.text)'", location: t.location)
        }
    }
}

/// Maps function and constant names of the infix syntax to expressions.
enum FunctionNames {
    static let aliases: [String: BuiltinFunction] = [
        "arcsin": .asin, "arccos": .acos, "arctan": .atan, "arcsec": .asec, "arccsc": .acsc, "arccot": .acot,
        "arcsinh": .asinh, "arccosh": .acosh, "arctanh": .atanh, "arcsech": .asech, "arccsch": .acsch,
        "arccoth": .acoth, "ceiling": .ceil, "power": .pow,
    ]

    static func constant(_ name: String) -> MathExpression? {
        switch name {
        case "time", "t_": return .time
        case "true", "True": return .number(1)
        case "false", "False": return .number(0)
        case "pi": return .number(Double.pi)
        case "exponentiale": return .number(M_E)
        case "avogadro": return .number(6.02214076e23)
        case "inf", "INF", "infinity", "Infinity": return .number(.infinity)
        case "NaN", "nan", "notanumber": return .number(.nan)
        default: return nil
        }
    }

    static func make(_ name: String, _ args: [MathExpression]) throws -> MathExpression {
        func arity(_ n: ClosedRange<Int>) throws {
            guard n.contains(args.count) else { throw ModelError.builtinArity(function: name, got: args.count) }
        }
        func fold(_ op: BinaryOperator, unit: Double) -> MathExpression {
            guard var acc = args.first else { return .number(unit) }
            for a in args.dropFirst() { acc = .binary(op, acc, a) }
            return acc
        }
        func chain(_ op: BinaryOperator) throws -> MathExpression {
            try arity(2...Int.max)
            var acc: MathExpression = .binary(op, args[0], args[1])
            for i in 2..<max(2, args.count) { acc = .binary(.and, acc, .binary(op, args[i - 1], args[i])) }
            return acc
        }
        switch name {
        case "piecewise":
            try arity(1...Int.max)
            var pieces: [MathExpression.Piece] = []
            var i = 0
            while i + 1 < args.count {
                pieces.append(.init(value: args[i], condition: args[i + 1]))
                i += 2
            }
            return .piecewise(pieces, otherwise: args.count % 2 == 1 ? args.last : nil)
        case "and": return fold(.and, unit: 1)
        case "or": return fold(.or, unit: 0)
        case "xor": return fold(.xor, unit: 0)
        case "not":
            try arity(1...1)
            return .unary(.not, args[0])
        case "plus": return fold(.add, unit: 0)
        case "times": return fold(.multiply, unit: 1)
        case "minus":
            try arity(1...2)
            return args.count == 1 ? .unary(.negate, args[0]) : .binary(.subtract, args[0], args[1])
        case "divide":
            try arity(2...2)
            return .binary(.divide, args[0], args[1])
        case "eq": return try chain(.equal)
        case "neq":
            try arity(2...2)
            return .binary(.notEqual, args[0], args[1])
        case "gt": return try chain(.greater)
        case "lt": return try chain(.less)
        case "geq": return try chain(.greaterEqual)
        case "leq": return try chain(.lessEqual)
        case "log":
            try arity(1...2)
            return args.count == 1 ? .builtin(.ln, args) : .builtin(.log, args)
        case "root":
            try arity(1...2)
            return args.count == 1 ? .builtin(.sqrt, args) : .builtin(.root, args)
        default:
            if let f = aliases[name] ?? BuiltinFunction(rawValue: name) {
                try arity(f.arity)
                return .builtin(f, args)
            }
            return .call(name, args)
        }
    }
}

/// A token of the infix syntax.
struct Token {
    enum Kind { case number, identifier, punctuation, end }
    var kind: Kind
    var text: String
    var location: SourceLocation
}

enum Lexer {
    private static let twoCharacter: Set<String> = ["==", "!=", "<=", ">=", "&&", "||", "**"]

    static func tokenize(_ text: String, origin: SourceLocation) throws -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text.unicodeScalars)
        var i = 0
        var line = origin.line
        var column = origin.column
        func location() -> SourceLocation { SourceLocation(line: line, column: column) }
        func step(_ n: Int = 1) {
            for _ in 0..<n {
                if chars[i] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                i += 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                step()
                continue
            }
            let start = location()
            if c.properties.numericType != nil && c.isASCII || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])) {
                var j = i
                while j < chars.count && (("0"..."9").contains(chars[j]) || chars[j] == ".") { j += 1 }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                    if k < chars.count && ("0"..."9").contains(chars[k]) {
                        while k < chars.count && ("0"..."9").contains(chars[k]) { k += 1 }
                        j = k
                    }
                }
                let s = String(String.UnicodeScalarView(chars[i..<j]))
                guard Double(s) != nil else { throw ModelError.syntax(message: "malformed number '\(s)'", location: start) }
                tokens.append(Token(kind: .number, text: s, location: start))
                step(j - i)
                continue
            }
            if c == "_" || c.properties.isAlphabetic {
                var j = i
                while j < chars.count && (chars[j] == "_" || chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j])) { j += 1 }
                tokens.append(Token(kind: .identifier, text: String(String.UnicodeScalarView(chars[i..<j])), location: start))
                step(j - i)
                continue
            }
            if i + 1 < chars.count {
                let two = String(String.UnicodeScalarView(chars[i...i + 1]))
                if twoCharacter.contains(two) {
                    tokens.append(Token(kind: .punctuation, text: two, location: start))
                    step(2)
                    continue
                }
            }
            if "+-*/^(),<>!".unicodeScalars.contains(c) {
                tokens.append(Token(kind: .punctuation, text: String(c), location: start))
                step()
                continue
            }
            throw ModelError.syntax(message: "unexpected character '\(c)'", location: start)
        }
        tokens.append(Token(kind: .end, text: "", location: location()))
        return tokens
    }
}
