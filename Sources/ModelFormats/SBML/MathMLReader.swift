import Foundation
import ModelIR

/// Converts the content MathML subset of SBML (Level 2 and Level 3) to `MathExpression`.
///
/// Mapping: `cn` (types `integer`, `real`, `double`, `e-notation`, `rational`) → `.number`; `ci` →
/// `.symbol`; csymbol `time` → `.time`, `avogadro` → `.number(6.02214179e23)` (the value SBML fixes),
/// `delay` / `rateOf` → the built-ins; `true`/`false` → 1/0; `pi`, `exponentiale`, `infinity`,
/// `notanumber` → numbers. In `apply`: n-ary `plus`/`times` fold left (no arguments: 0 and 1), unary
/// `minus` → `.unary(.negate)`, `root` without `degree` → `sqrt`, `log` without `logbase` → `log10`, `ln`
/// → `ln`, n-ary `eq`/`gt`/`lt`/`geq`/`leq` → pairwise comparisons joined by `and` (fewer than two
/// arguments: true), `and`/`or`/`xor` fold left (no arguments: true, false, false), `implies(a, b)` →
/// `!a || b`, `ci` as operator → a call of a function definition. `semantics` is transparent (its
/// annotations are dropped); `sbml:units` on `cn` is ignored.
struct MathMLReader {
    /// The MathML namespace URI every element inside `<math>` must use.
    static let namespace = "http://www.w3.org/1998/Math/MathML"
    /// The value of the SBML `avogadro` csymbol (SBML L3 specification, from CODATA 2006).
    static let avogadro = 6.02214179e23
    static let csymbolBase = "http://www.sbml.org/sbml/symbols/"

    var file: String?

    /// The expression inside a `<math>` element, or nil when the element is empty (allowed in L3v2).
    func expression(inMath math: XMLNode) throws -> MathExpression? {
        guard let content = try content(of: math) else { return nil }
        return try read(content)
    }

    /// The arguments and body of the `<lambda>` inside a function definition's `<math>`, or nil when the
    /// math element is empty.
    func lambda(inMath math: XMLNode) throws -> (arguments: [String], body: MathExpression)? {
        guard var node = try content(of: math) else { return nil }
        while node.name == "semantics", let first = mathChildren(node).first { node = first }
        guard node.name == "lambda" else {
            throw SBMLError.syntax("a function definition must contain <lambda>, found <\(node.name)>", at: node, file: file)
        }
        var arguments: [String] = []
        var body: MathExpression?
        for child in mathChildren(node) {
            if child.name == "bvar" {
                guard body == nil else {
                    throw SBMLError.syntax("<bvar> after the body of <lambda>", at: child, file: file)
                }
                guard let ci = child.child("ci", in: Self.namespace) else {
                    throw SBMLError.syntax("<bvar> must contain <ci>", at: child, file: file)
                }
                arguments.append(try identifier(ci))
            } else {
                guard body == nil else { throw SBMLError.syntax("<lambda> has more than one body", at: child, file: file) }
                body = try read(child)
            }
        }
        guard let body else { throw SBMLError.syntax("<lambda> has no body", at: node, file: file) }
        return (arguments, body)
    }

    /// The single expression element inside `math`, or nil when there is none.
    private func content(of math: XMLNode) throws -> XMLNode? {
        let children = mathChildren(math)
        guard children.count <= 1 else {
            throw SBMLError.syntax("<math> must contain one expression, found \(children.count)", at: math, file: file)
        }
        return children.first
    }

    /// The MathML element children of `node` (elements of other namespaces are rejected).
    private func mathChildren(_ node: XMLNode) -> [XMLNode] {
        node.children.filter { $0.namespace == Self.namespace }
    }

    private func identifier(_ ci: XMLNode) throws -> String {
        let name = ci.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw SBMLError.syntax("empty <ci>", at: ci, file: file) }
        return name
    }

    /// Converts one MathML element.
    func read(_ node: XMLNode) throws -> MathExpression {
        guard node.namespace == Self.namespace else {
            throw SBMLError.syntax("<\(node.name)> is not a MathML element (namespace '\(node.namespace)')", at: node, file: file)
        }
        switch node.name {
        case "cn": return .number(try number(node))
        case "ci": return .symbol(try identifier(node))
        case "csymbol":
            switch csymbolLabel(node) {
            case "time": return .time
            case "avogadro": return .number(Self.avogadro)
            case let name:
                throw SBMLError.syntax("csymbol '\(name)' must be the operator of an <apply>", at: node, file: file)
            }
        case "true": return .number(1)
        case "false": return .number(0)
        case "pi": return .number(Double.pi)
        case "exponentiale": return .number(M_E)
        case "infinity": return .number(.infinity)
        case "notanumber": return .number(.nan)
        case "apply": return try apply(node)
        case "piecewise": return try piecewise(node)
        case "semantics":
            guard let first = mathChildren(node).first else {
                throw SBMLError.syntax("empty <semantics>", at: node, file: file)
            }
            return try read(first)
        case "lambda":
            throw SBMLError.syntax("<lambda> is allowed only in a function definition", at: node, file: file)
        default:
            throw ModelError.unsupported(element: "MathML <\(node.name)> at \(node.location)",
                                         reason: "not part of the MathML subset SBML allows")
        }
    }

    /// Parses a `cn` element according to its `type`.
    private func number(_ node: XMLNode) throws -> Double {
        let type = node.attributes["type"]?.trimmingCharacters(in: .whitespaces) ?? "real"
        let segments = node.textSegments.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        func parse(_ text: String) throws -> Double {
            guard let v = SBMLNumber.parse(text) else {
                throw SBMLError.syntax("<cn type=\"\(type)\"> contains '\(text)', which is not a number", at: node, file: file)
            }
            return v
        }
        func parts() throws -> (String, String) {
            guard segments.count == 2, node.children.first?.name == "sep" else {
                throw SBMLError.syntax("<cn type=\"\(type)\"> must contain two numbers separated by <sep/>", at: node, file: file)
            }
            return (segments[0], segments[1])
        }
        switch type {
        case "integer":
            let text = segments.joined()
            if let base = node.attributes["base"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), base != 10 {
                guard (2...36).contains(base), let v = Int(text, radix: base) else {
                    throw SBMLError.syntax("<cn type=\"integer\" base=\"\(base)\"> contains '\(text)'", at: node, file: file)
                }
                return Double(v)
            }
            return try parse(text)
        case "real", "double":
            return try parse(segments.joined())
        case "e-notation":
            let (mantissa, exponent) = try parts()
            guard Int(exponent) != nil, SBMLNumber.parse(mantissa) != nil else {
                throw SBMLError.syntax("<cn type=\"e-notation\"> contains '\(mantissa)' and '\(exponent)', not a number and an integer exponent", at: node, file: file)
            }
            return try parse("\(mantissa)e\(exponent)")
        case "rational":
            let (numerator, denominator) = try parts()
            return try parse(numerator) / parse(denominator)
        default:
            throw ModelError.unsupported(element: "<cn type=\"\(type)\"> at \(node.location)", reason: "SBML numbers are integer, real, e-notation or rational")
        }
    }

    private func piecewise(_ node: XMLNode) throws -> MathExpression {
        var pieces: [MathExpression.Piece] = []
        var otherwise: MathExpression?
        for child in mathChildren(node) {
            let parts = mathChildren(child)
            switch child.name {
            case "piece":
                guard parts.count == 2 else {
                    throw SBMLError.syntax("<piece> must contain a value and a condition, found \(parts.count) elements", at: child, file: file)
                }
                pieces.append(.init(value: try read(parts[0]), condition: try read(parts[1])))
            case "otherwise":
                guard parts.count == 1, otherwise == nil else {
                    throw SBMLError.syntax("<piecewise> must have at most one <otherwise> with one expression", at: child, file: file)
                }
                otherwise = try read(parts[0])
            default:
                throw SBMLError.syntax("<\(child.name)> inside <piecewise>; expected <piece> or <otherwise>", at: child, file: file)
            }
        }
        return .piecewise(pieces, otherwise: otherwise)
    }
}
