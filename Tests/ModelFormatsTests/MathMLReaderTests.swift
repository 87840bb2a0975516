import Foundation
import Testing
import ModelIR
@testable import ModelFormats

/// Reads `content` wrapped in a `<math>` element.
func readMathML(_ content: String) throws -> MathExpression? {
    let text = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">\(content)</math>"
    let document = try SafeXMLParser.parse(Data(text.utf8), file: nil, limits: SBMLReader.limits)
    return try MathMLReader(file: nil).expression(inMath: document.root)
}

private let a = MathExpression.symbol("a"), b = MathExpression.symbol("b"), c = MathExpression.symbol("c")
private func csymbol(_ name: String) -> String {
    "<csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/\(name)\"> \(name) </csymbol>"
}

@Suite struct MathMLReaderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var mathML: String
        var expected: MathExpression
        var testDescription: String { mathML }
        init(_ mathML: String, _ expected: MathExpression) {
            self.mathML = mathML
            self.expected = expected
        }
    }

    static let ci = "<ci> a </ci><ci> b </ci><ci> c </ci>"

    @Test(arguments: [
        // Numbers and constants
        Case("<cn> 5 </cn>", .number(5)),
        Case("<cn type=\"integer\"> -3 </cn>", .number(-3)),
        Case("<cn type=\"integer\" base=\"16\">ff</cn>", .number(255)),
        Case("<cn type=\"real\"> 2.5e-3 </cn>", .number(0.0025)),
        Case("<cn type=\"double\">1E2</cn>", .number(100)),
        Case("<cn type=\"e-notation\"> 1.5 <sep/> 3 </cn>", .number(1500)),
        Case("<cn type=\"e-notation\"> 2 <sep/> -2 </cn>", .number(0.02)),
        Case("<cn type=\"rational\"> 1 <sep/> 4 </cn>", .number(0.25)),
        Case("<cn> INF </cn>", .number(.infinity)),
        Case("<cn> -INF </cn>", .number(-.infinity)),
        Case("<cn xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\" sbml:units=\"mole\"> 7 </cn>", .number(7)),
        Case("<true/>", .number(1)), Case("<false/>", .number(0)), Case("<pi/>", .number(.pi)),
        Case("<exponentiale/>", .number(M_E)), Case("<infinity/>", .number(.infinity)),
        // Identifiers and csymbols
        Case("<ci> a </ci>", a),
        Case(csymbol("time"), .time),
        Case(csymbol("avogadro"), .number(6.02214179e23)),
        Case("<apply>\(csymbol("delay"))<ci>a</ci><cn>2</cn></apply>", .builtin(.delay, [a, .number(2)])),
        Case("<apply>\(csymbol("rateOf"))<ci>a</ci></apply>", .builtin(.rateOf, [a])),
        // Arithmetic
        Case("<apply><plus/>\(ci)</apply>", .binary(.add, .binary(.add, a, b), c)),
        Case("<apply><plus/></apply>", .number(0)),
        Case("<apply><plus/><ci>a</ci></apply>", a),
        Case("<apply><times/>\(ci)</apply>", .binary(.multiply, .binary(.multiply, a, b), c)),
        Case("<apply><times/></apply>", .number(1)),
        Case("<apply><minus/><ci>a</ci></apply>", .unary(.negate, a)),
        Case("<apply><minus/><ci>a</ci><ci>b</ci></apply>", .binary(.subtract, a, b)),
        Case("<apply><divide/><ci>a</ci><ci>b</ci></apply>", .binary(.divide, a, b)),
        Case("<apply><power/><ci>a</ci><cn>2</cn></apply>", .binary(.power, a, .number(2))),
        Case("<apply><root/><degree><cn>3</cn></degree><ci>a</ci></apply>", .builtin(.root, [.number(3), a])),
        Case("<apply><root/><ci>a</ci></apply>", .builtin(.sqrt, [a])),
        Case("<apply><log/><logbase><cn>2</cn></logbase><ci>a</ci></apply>", .builtin(.log, [.number(2), a])),
        Case("<apply><log/><ci>a</ci></apply>", .builtin(.log10, [a])),
        Case("<apply><ln/><ci>a</ci></apply>", .builtin(.ln, [a])),
        Case("<apply><exp/><ci>a</ci></apply>", .builtin(.exp, [a])),
        Case("<apply><abs/><ci>a</ci></apply>", .builtin(.abs, [a])),
        Case("<apply><floor/><ci>a</ci></apply>", .builtin(.floor, [a])),
        Case("<apply><ceiling/><ci>a</ci></apply>", .builtin(.ceil, [a])),
        Case("<apply><factorial/><ci>a</ci></apply>", .builtin(.factorial, [a])),
        Case("<apply><min/>\(ci)</apply>", .builtin(.min, [a, b, c])),
        Case("<apply><max/><ci>a</ci><ci>b</ci></apply>", .builtin(.max, [a, b])),
        Case("<apply><quotient/><ci>a</ci><ci>b</ci></apply>", .builtin(.quotient, [a, b])),
        Case("<apply><rem/><ci>a</ci><ci>b</ci></apply>", .builtin(.rem, [a, b])),
        // Relations and logic
        Case("<apply><eq/>\(ci)</apply>", .binary(.and, .binary(.equal, a, b), .binary(.equal, b, c))),
        Case("<apply><lt/>\(ci)</apply>", .binary(.and, .binary(.less, a, b), .binary(.less, b, c))),
        Case("<apply><gt/><ci>a</ci><ci>b</ci></apply>", .binary(.greater, a, b)),
        Case("<apply><geq/><ci>a</ci><ci>b</ci></apply>", .binary(.greaterEqual, a, b)),
        Case("<apply><leq/><ci>a</ci><ci>b</ci></apply>", .binary(.lessEqual, a, b)),
        Case("<apply><neq/><ci>a</ci><ci>b</ci></apply>", .binary(.notEqual, a, b)),
        Case("<apply><eq/><ci>a</ci></apply>", .number(1)),
        Case("<apply><and/>\(ci)</apply>", .binary(.and, .binary(.and, a, b), c)),
        Case("<apply><and/></apply>", .number(1)),
        Case("<apply><or/><ci>a</ci><ci>b</ci></apply>", .binary(.or, a, b)),
        Case("<apply><or/></apply>", .number(0)),
        Case("<apply><xor/>\(ci)</apply>", .binary(.xor, .binary(.xor, a, b), c)),
        Case("<apply><not/><ci>a</ci></apply>", .unary(.not, a)),
        Case("<apply><implies/><ci>a</ci><ci>b</ci></apply>", .binary(.or, .unary(.not, a), b)),
        // Piecewise, calls, semantics
        Case("<piecewise><piece><ci>a</ci><apply><lt/><ci>b</ci><cn>0</cn></apply></piece><otherwise><ci>c</ci></otherwise></piecewise>",
             .piecewise([.init(value: a, condition: .binary(.less, b, .number(0)))], otherwise: c)),
        Case("<piecewise><piece><ci>a</ci><true/></piece></piecewise>", .piecewise([.init(value: a, condition: .number(1))], otherwise: nil)),
        Case("<piecewise><otherwise><ci>a</ci></otherwise></piecewise>", .piecewise([], otherwise: a)),
        Case("<apply><ci> f </ci><ci>a</ci><cn>1</cn></apply>", .call("f", [a, .number(1)])),
        Case("<apply><ci> g </ci></apply>", .call("g", [])),
        Case("<semantics><ci>a</ci><annotation encoding=\"text\">x</annotation></semantics>", a),
    ])
    func mapsMathML(c: Case) throws {
        #expect(try readMathML(c.mathML) == c.expected)
    }

    @Test func mapsEveryOneArgumentFunction() throws {
        for (name, function) in MathMLReader.unaryFunctions {
            #expect(try readMathML("<apply><\(name)/><ci>a</ci></apply>") == .builtin(function, [a]), "\(name)")
        }
        #expect(MathMLReader.unaryFunctions.count == 30)
    }

    @Test func notANumberAndEmptyMath() throws {
        guard case .number(let v)? = try readMathML("<notanumber/>") else { Issue.record("not a number"); return }
        #expect(v.isNaN)
        #expect(try readMathML("") == nil)
    }

    @Test(arguments: [
        ("<apply><divide/><ci>a</ci><ci>b</ci><ci>c</ci></apply>", "<divide> takes 2 argument(s), got 3"),
        ("<apply><minus/></apply>", "<minus> takes 1 to 2 argument(s), got 0"),
        ("<apply><sum/><ci>a</ci></apply>", "unsupported: MathML operator <sum>"),
        ("<apply/>", "empty <apply>"),
        ("<apply>\(csymbol("delay"))<ci>a</ci></apply>", "<csymbol delay> takes 2 argument(s), got 1"),
        ("<cn type=\"complex-cartesian\">1<sep/>2</cn>", "unsupported: <cn type=\"complex-cartesian\">"),
        ("<cn>1.2.3</cn>", "'1.2.3', which is not a number"),
        ("<cn type=\"e-notation\">1</cn>", "two numbers separated by <sep/>"),
        ("<ci>  </ci>", "empty <ci>"),
        ("<ci>a</ci><ci>b</ci>", "<math> must contain one expression, found 2"),
        ("<lambda><bvar><ci>x</ci></bvar><ci>x</ci></lambda>", "<lambda> is allowed only in a function definition"),
        ("<piecewise><piece><ci>a</ci></piece></piecewise>", "<piece> must contain a value and a condition"),
        ("<apply><sin/><degree><cn>2</cn></degree><ci>a</ci></apply>", "<degree> is allowed only with <root/> or <log/>"),
        (csymbol("delay"), "csymbol 'delay' must be the operator of an <apply>"),
        ("<mrow/>", "unsupported: MathML <mrow>"),
    ])
    func rejectsBadMathML(mathML: String, message: String) {
        do {
            _ = try readMathML(mathML)
            Issue.record("accepted \(mathML)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
            #expect("\(error)".contains("line 1"), "\(error)")
        }
    }
}
