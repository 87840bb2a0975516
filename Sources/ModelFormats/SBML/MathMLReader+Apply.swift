import ModelIR

extension MathMLReader {
    /// MathML elements that map one-to-one to a built-in function of one argument.
    static let unaryFunctions: [String: BuiltinFunction] = [
        "abs": .abs, "exp": .exp, "ln": .ln, "floor": .floor, "ceiling": .ceil, "factorial": .factorial,
        "sin": .sin, "cos": .cos, "tan": .tan, "sec": .sec, "csc": .csc, "cot": .cot,
        "sinh": .sinh, "cosh": .cosh, "tanh": .tanh, "sech": .sech, "csch": .csch, "coth": .coth,
        "arcsin": .asin, "arccos": .acos, "arctan": .atan, "arcsec": .asec, "arccsc": .acsc, "arccot": .acot,
        "arcsinh": .asinh, "arccosh": .acosh, "arctanh": .atanh, "arcsech": .asech, "arccsch": .acsch,
        "arccoth": .acoth,
    ]

    /// MathML relations that SBML allows with any number of arguments (chained pairwise).
    static let relations: [String: BinaryOperator] = [
        "eq": .equal, "gt": .greater, "lt": .less, "geq": .greaterEqual, "leq": .lessEqual,
    ]

    /// Converts `<apply>`: the first child is the operator, qualifiers (`degree`, `logbase`) are taken
    /// out of the argument list.
    func apply(_ node: XMLNode) throws -> MathExpression {
        let children = node.children.filter { $0.namespace == Self.namespace }
        guard let op = children.first else { throw SBMLError.syntax("empty <apply>", at: node, file: file) }
        var qualifiers: [String: XMLNode] = [:]
        var operands: [XMLNode] = []
        for child in children.dropFirst() {
            if child.name == "degree" || child.name == "logbase" {
                guard qualifiers[child.name] == nil else {
                    throw SBMLError.syntax("<apply> has more than one <\(child.name)>", at: child, file: file)
                }
                qualifiers[child.name] = child
            } else {
                operands.append(child)
            }
        }
        let args = try operands.map { try read($0) }
        func arity(_ allowed: ClosedRange<Int>) throws {
            guard allowed.contains(args.count) else {
                let count = allowed.lowerBound == allowed.upperBound ? "\(allowed.lowerBound)"
                    : allowed.upperBound == Int.max ? "at least \(allowed.lowerBound)"
                    : "\(allowed.lowerBound) to \(allowed.upperBound)"
                throw SBMLError.syntax("<\(op.name)\(op.name == "csymbol" ? " \(csymbolLabel(op))" : "")> takes \(count) argument(s), got \(args.count)",
                                       at: node, file: file)
            }
        }
        func fold(_ binary: BinaryOperator, empty: Double) -> MathExpression {
            guard var acc = args.first else { return .number(empty) }
            for a in args.dropFirst() { acc = .binary(binary, acc, a) }
            return acc
        }
        func qualifier(_ name: String) throws -> MathExpression? {
            guard let q = qualifiers[name] else { return nil }
            let inner = q.children.filter { $0.namespace == Self.namespace }
            guard inner.count == 1 else {
                throw SBMLError.syntax("<\(name)> must contain one expression", at: q, file: file)
            }
            return try read(inner[0])
        }
        if !qualifiers.isEmpty && op.name != "root" && op.name != "log" {
            throw SBMLError.syntax("<\(qualifiers.keys.sorted()[0])> is allowed only with <root/> or <log/>", at: node, file: file)
        }

        switch op.name {
        case "ci":
            let name = op.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw SBMLError.syntax("empty <ci>", at: op, file: file) }
            return .call(name, args)
        case "csymbol":
            switch csymbolLabel(op) {
            case "delay":
                try arity(2...2)
                return .builtin(.delay, args)
            case "rateOf":
                try arity(1...1)
                return .builtin(.rateOf, args)
            case let other:
                throw ModelError.unsupported(element: "csymbol '\(other)' at \(op.location)", reason: "SBML csymbols are time, avogadro, delay and rateOf; only delay and rateOf are functions")
            }
        case "plus": return fold(.add, empty: 0)
        case "times": return fold(.multiply, empty: 1)
        case "minus":
            try arity(1...2)
            return args.count == 1 ? .unary(.negate, args[0]) : .binary(.subtract, args[0], args[1])
        case "divide":
            try arity(2...2)
            return .binary(.divide, args[0], args[1])
        case "power":
            try arity(2...2)
            return .binary(.power, args[0], args[1])
        case "root":
            try arity(1...1)
            if let degree = try qualifier("degree") { return .builtin(.root, [degree, args[0]]) }
            return .builtin(.sqrt, args)
        case "log":
            try arity(1...1)
            if let base = try qualifier("logbase") { return .builtin(.log, [base, args[0]]) }
            return .builtin(.log10, args)
        case "and": return fold(.and, empty: 1)
        case "or": return fold(.or, empty: 0)
        case "xor": return fold(.xor, empty: 0)
        case "not":
            try arity(1...1)
            return .unary(.not, args[0])
        case "implies":
            try arity(2...2)
            return .binary(.or, .unary(.not, args[0]), args[1])
        case "neq":
            try arity(2...2)
            return .binary(.notEqual, args[0], args[1])
        case "min", "max":
            try arity(1...Int.max)
            return .builtin(op.name == "min" ? .min : .max, args)
        case "quotient", "rem":
            try arity(2...2)
            return .builtin(op.name == "quotient" ? .quotient : .rem, args)
        default:
            if let relation = Self.relations[op.name] {
                guard args.count >= 2 else { return .number(1) }
                var acc: MathExpression = .binary(relation, args[0], args[1])
                for i in 2..<args.count { acc = .binary(.and, acc, .binary(relation, args[i - 1], args[i])) }
                return acc
            }
            if let function = Self.unaryFunctions[op.name] {
                try arity(1...1)
                return .builtin(function, args)
            }
            throw ModelError.unsupported(element: "MathML operator <\(op.name)> at \(op.location)",
                                         reason: "not part of the MathML subset SBML allows")
        }
    }

    /// The last path component of a csymbol's `definitionURL` (`time`, `delay`, ...).
    func csymbolLabel(_ node: XMLNode) -> String {
        let url = (node.attributes["definitionURL"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return url.hasPrefix(Self.csymbolBase) ? String(url.dropFirst(Self.csymbolBase.count)) : url
    }
}
