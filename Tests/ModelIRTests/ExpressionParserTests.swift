import Foundation
import Testing
@testable import ModelIR

@Suite struct ExpressionParserTests {
    @Test(arguments: [
        ("1 + 2 * 3", MathExpression.binary(.add, .number(1), .binary(.multiply, .number(2), .number(3)))),
        ("-x^2", .unary(.negate, .binary(.power, .symbol("x"), .number(2)))),
        ("2^3^2", .binary(.power, .number(2), .binary(.power, .number(3), .number(2)))),
        ("a - b - c", .binary(.subtract, .binary(.subtract, .symbol("a"), .symbol("b")), .symbol("c"))),
        ("log(x)", .builtin(.ln, [.symbol("x")])),
        ("log(2, x)", .builtin(.log, [.number(2), .symbol("x")])),
        ("time > 5 && k < 1", .binary(.and, .binary(.greater, .time, .number(5)), .binary(.less, .symbol("k"), .number(1)))),
        ("piecewise(1, x > 0, 2)", .piecewise([.init(value: .number(1), condition: .binary(.greater, .symbol("x"), .number(0)))], otherwise: .number(2))),
        ("f(x, 2.5e-3)", .call("f", [.symbol("x"), .number(2.5e-3)])),
        ("not a or b", .binary(.or, .unary(.not, .symbol("a")), .symbol("b"))),
    ])
    func parses(text: String, expected: MathExpression) throws {
        #expect(try ExpressionParser.parse(text) == expected)
    }

    @Test(arguments: ["k1*S1/(Km + S1)", "-(a + b)*c", "a^-b", "piecewise(x, t < 2, y, t < 3, 0)",
                      "min(a, b, 3) + max(1e-300, c)", "!(a == b) || c != d", "1.5e+20 * x - 3.25", "x / (y * z)",
                      "(a - b) - (c - d)", "2^(3^x)", "(2^3)^x", "-(-x)"])
    func printsWhatItReadsBack(text: String) throws {
        let e = try ExpressionParser.parse(text)
        #expect(try ExpressionParser.parse(e.description) == e, "printed as \(e.description)")
    }

    @Test(arguments: [("1 +", 1, 4), ("a * (b + c", 1, 11), ("x $ y", 1, 3), ("1.2.3", 1, 1), ("\n  f(,)", 2, 5)])
    func reportsSyntaxErrorsWithLocation(text: String, line: Int, column: Int) {
        #expect(throws: ModelError.self) { try ExpressionParser.parse(text) }
        do {
            _ = try ExpressionParser.parse(text)
        } catch let ModelError.syntax(_, location, _) {
            #expect(location == SourceLocation(line: line, column: column))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func builtinArityIsChecked() {
        #expect(throws: ModelError.self) { try ExpressionParser.parse("exp(1, 2)") }
    }
}
