import Foundation
import ModelIR

/// Writes `MathExpression`s as SBML Level 3 Version 2 content MathML, so that `MathMLReader` reads them
/// back to equal expressions.
///
/// Left-nested chains of `+`, `*`, `and`, `or`, `xor` are written as one n-ary `apply` (the reader folds
/// them left again). Numbers 1 and 0 in Boolean positions (conditions, logical operands) are written as
/// `<true/>` and `<false/>`. Normalisations (what reads back differently): `pow(a, b)` is written as
/// `<power/>` (reads back as `a ^ b`), `log2(x)` as `<log/>` with `logbase` 2 (reads back as `log(2, x)`).
struct MathMLWriter {
    static let csymbolBase = MathMLReader.csymbolBase

    /// Writes `<math>` containing `expression`.
    static func math(_ expression: MathExpression, boolean: Bool = false, into xml: inout XMLBuilder) {
        xml.start("math", ["xmlns": MathMLReader.namespace])
        write(expression, boolean: boolean, into: &xml)
        xml.end()
    }

    /// Writes `<math><lambda>` for a function definition.
    static func lambda(_ function: FunctionDefinition, into xml: inout XMLBuilder) {
        xml.start("math", ["xmlns": MathMLReader.namespace])
        xml.start("lambda")
        for argument in function.arguments {
            xml.start("bvar")
            xml.element("ci", text: argument)
            xml.end()
        }
        write(function.body, boolean: false, into: &xml)
        xml.end()
        xml.end()
    }

    static let builtinNames: [BuiltinFunction: String] = {
        var names: [BuiltinFunction: String] = [:]
        for (name, f) in MathMLReader.unaryFunctions { names[f] = name }
        names[.min] = "min"
        names[.max] = "max"
        names[.quotient] = "quotient"
        names[.rem] = "rem"
        return names
    }()

    static let operatorNames: [BinaryOperator: String] = [
        .add: "plus", .subtract: "minus", .multiply: "times", .divide: "divide", .power: "power",
        .equal: "eq", .notEqual: "neq", .less: "lt", .lessEqual: "leq", .greater: "gt", .greaterEqual: "geq",
        .and: "and", .or: "or", .xor: "xor",
    ]

    private static func apply(_ op: String, _ args: [MathExpression], boolean: Bool,
                              qualifier: (name: String, value: MathExpression)? = nil, into xml: inout XMLBuilder) {
        xml.start("apply")
        xml.empty(op)
        if let qualifier {
            xml.start(qualifier.name)
            write(qualifier.value, boolean: false, into: &xml)
            xml.end()
        }
        for a in args { write(a, boolean: boolean, into: &xml) }
        xml.end()
    }

    private static func csymbol(_ name: String, into xml: inout XMLBuilder) {
        xml.element("csymbol", ["encoding": "text", "definitionURL": csymbolBase + name], text: name)
    }

    /// Writes one expression; `boolean` says whether the position expects a truth value.
    static func write(_ e: MathExpression, boolean: Bool, into xml: inout XMLBuilder) {
        switch e {
        case .number(let v): number(v, boolean: boolean, into: &xml)
        case .symbol(let id): xml.element("ci", text: id)
        case .time: csymbol("time", into: &xml)
        case .unary(.negate, let x): apply("minus", [x], boolean: false, into: &xml)
        case .unary(.not, let x): apply("not", [x], boolean: true, into: &xml)
        case .binary(let op, let l, let r):
            var operands = [r]
            var left = l
            if [.add, .multiply, .and, .or, .xor].contains(op) {
                while case .binary(op, let ll, let lr) = left {
                    operands.append(lr)
                    left = ll
                }
            }
            operands.append(left)
            let logical = op == .and || op == .or || op == .xor
            apply(operatorNames[op] ?? op.rawValue, operands.reversed(), boolean: logical, into: &xml)
        case .builtin(let f, let args): builtin(f, args, into: &xml)
        case .call(let id, let args):
            xml.start("apply")
            xml.element("ci", text: id)
            for a in args { write(a, boolean: false, into: &xml) }
            xml.end()
        case .piecewise(let pieces, let otherwise):
            xml.start("piecewise")
            for p in pieces {
                xml.start("piece")
                write(p.value, boolean: boolean, into: &xml)
                write(p.condition, boolean: true, into: &xml)
                xml.end()
            }
            if let otherwise {
                xml.start("otherwise")
                write(otherwise, boolean: boolean, into: &xml)
                xml.end()
            }
            xml.end()
        }
    }

    private static func builtin(_ f: BuiltinFunction, _ args: [MathExpression], into xml: inout XMLBuilder) {
        switch f {
        case .log10: apply("log", args, boolean: false, into: &xml)
        case .log2: apply("log", args, boolean: false, qualifier: ("logbase", .number(2)), into: &xml)
        case .log where args.count == 2:
            apply("log", [args[1]], boolean: false, qualifier: ("logbase", args[0]), into: &xml)
        case .sqrt: apply("root", args, boolean: false, into: &xml)
        case .root where args.count == 2:
            apply("root", [args[1]], boolean: false, qualifier: ("degree", args[0]), into: &xml)
        case .pow: apply("power", args, boolean: false, into: &xml)
        case .rateOf, .delay:
            xml.start("apply")
            csymbol(f.rawValue, into: &xml)
            for a in args { write(a, boolean: false, into: &xml) }
            xml.end()
        default:
            apply(builtinNames[f] ?? f.rawValue, args, boolean: false, into: &xml)
        }
    }

    private static func number(_ v: Double, boolean: Bool, into xml: inout XMLBuilder) {
        if boolean && v == 1 { return xml.empty("true") }
        if boolean && v == 0 { return xml.empty("false") }
        if v.isNaN { return xml.empty("notanumber") }
        if v == .infinity { return xml.empty("infinity") }
        if v == -.infinity { return xml.element("cn", text: "-INF") }
        if v == Double.pi { return xml.empty("pi") }
        if v == M_E { return xml.empty("exponentiale") }
        if v == v.rounded() && abs(v) < 1e15 {
            return xml.element("cn", ["type": "integer"], text: String(Int64(v)))
        }
        xml.element("cn", text: "\(v)")
    }
}
