import Foundation
import ModelIR
import Testing
@testable import ModelFormats

/// Malformed and unsupported Antimony: each error names the place (line, column) and what is wrong.
@Suite struct AntimonyErrorTests {
    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var input: String
        var line: Int
        var column: Int
        /// A fragment the message must contain.
        var message: String
        var testDescription: String { input.replacingOccurrences(of: "\n", with: "⏎") }
    }

    static let syntaxErrors: [ErrorCase] = [
        // Expressions
        .init(input: "A -> B; k*A +", line: 1, column: 14, message: "unexpected end of expression"),
        .init(input: "x = (1 + 2", line: 1, column: 11, message: "expected ')'"),
        .init(input: "x = \n", line: 1, column: 5, message: "expected a value for 'x'"),
        .init(input: "model m()\n  x := 2 $ 3\nend", line: 2, column: 10, message: "unexpected character '$'"),
        .init(input: "x = 1 % 2", line: 1, column: 7, message: "unexpected character '%'"),
        .init(input: "x = \"text\"", line: 1, column: 5, message: "unexpected character"),
        .init(input: "y' 3", line: 1, column: 4, message: "expected '=' after y'"),
        .init(input: "x = 1 mole +", line: 1, column: 12, message: "in a unit"),
        // Statements
        .init(input: "model m()\n  J1: A -> B k*A\nend", line: 2, column: 14, message: "expected ';' before the rate law"),
        .init(input: "A + B; k", line: 1, column: 6, message: "expected '->' or '=>'"),
        .init(input: "A -> 2; k", line: 1, column: 7, message: "expected a species"),
        .init(input: "x = 1 y = 2", line: 1, column: 9, message: "unexpected '=' in a unit"),
        .init(input: "x = 1; y = (2) z", line: 1, column: 16, message: "unexpected 'z' after expression"),
        .init(input: "A B", line: 1, column: 3, message: "expected '=', ':=', an arrow"),
        .init(input: "= 3", line: 1, column: 1, message: "at the start of a statement"),
        .init(input: "S is T", line: 1, column: 6, message: "only display names"),
        .init(input: "/* never closed\nx = 1", line: 1, column: 1, message: "unterminated comment"),
        .init(input: "S is \"open", line: 1, column: 6, message: "unterminated string"),
        // Events
        .init(input: "at (time > 1) k = 2", line: 1, column: 15, message: "unexpected 'k' after expression"),
        .init(input: "at (time > 1); k = 2", line: 1, column: 14, message: "expected ':' after the event trigger"),
        .init(input: "E1: at (time > 1), foo = 1: k = 2", line: 1, column: 20, message: "unknown event option 'foo'"),
        .init(input: "at (time > 1), t0 = 2: k = 2", line: 1, column: 21, message: "must be true or false"),
        .init(input: "at (time > 1): k + 1", line: 1, column: 18, message: "expected '=' after 'k'"),
        .init(input: "at : k = 1", line: 1, column: 4, message: "expected an event trigger"),
        // Model blocks and functions
        .init(input: "model m()\n  x = 1\n", line: 3, column: 1, message: "is not closed by 'end'"),
        .init(input: "x = 1\nend", line: 2, column: 1, message: "'end' without an open model"),
        .init(input: "x = 1\nmodel m()\nend", line: 2, column: 1, message: "statements outside the model block (line 1, column 1)"),
        .init(input: "model a()\nend\nmodel b()\nend", line: 3, column: 1, message: "only one model per file"),
        .init(input: "model a()\nend\nx = 1", line: 3, column: 1, message: "after the end of model 'a'"),
        .init(input: "model m(x)\nend", line: 1, column: 9, message: "model parameters"),
        .init(input: "function f(a)\n  a * 2\n", line: 3, column: 1, message: "expected 'end' after the body of function 'f'"),
        .init(input: "function f(a,) a end", line: 1, column: 14, message: "expected an argument name"),
        // Unsupported constructs
        .init(input: "import \"other.ant\"", line: 1, column: 1, message: "'import' is not supported"),
        .init(input: "A.x = 3", line: 1, column: 2, message: "dotted names"),
        .init(input: "y := A.x + 1", line: 1, column: 7, message: "dotted names"),
        .init(input: "A1: sub()", line: 1, column: 5, message: "submodel instances"),
        .init(input: "compartment a; a in b", line: 1, column: 18, message: "nesting compartments"),
        .init(input: "A identity \"http://identifiers.org/x\"", line: 1, column: 3, message: "annotation statements"),
        .init(input: "const $D", line: 1, column: 7, message: "'$' marks boundary species"),
        .init(input: "DNA d1", line: 1, column: 1, message: "'DNA' is not supported"),
    ]

    @Test(arguments: syntaxErrors)
    func reportsSyntaxErrorAtLocation(_ c: ErrorCase) {
        do {
            let m = try AntimonyReader.read(string: c.input)
            Issue.record("read without error: \(m)")
        } catch ModelError.syntax(let message, let location, let file) {
            #expect(location == SourceLocation(line: c.line, column: c.column), "message: \(message)")
            #expect(message.contains(c.message), "message: \(message)")
            #expect(file == nil)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func syntaxErrorsNameTheFile() {
        do {
            _ = try AntimonyReader.read(string: "x = (", file: "bad.ant")
        } catch let error as ModelError {
            #expect(error == .syntax(message: "unexpected end of expression", location: .init(line: 1, column: 6), file: "bad.ant"))
            #expect(error.description == "bad.ant: line 1, column 6: unexpected end of expression")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    static let conflicts: [(String, String, String)] = [
        ("x := a\nx = 3", "x", "line 2, column 3: it has an assignment rule (line 1, column 1), which holds at all times "
            + "including the start, so it cannot also be given an initial value"),
        ("x' = a; x := b", "x", "line 1, column 9: it has a rate rule (line 1, column 1) and cannot also have an assignment rule"),
        ("x := a; x' = b", "x", "line 1, column 9: it has an assignment rule (line 1, column 1) and cannot also have a rate rule"),
        ("compartment c\nspecies c", "c", "line 2, column 9: declared as a species, but it is a compartment (line 1, column 13)"),
        ("species S\nS -> A; 1\ncompartment S", "S", "line 3, column 13: declared as a compartment, but it is a species (line 1, column 9)"),
    ]

    @Test(arguments: conflicts)
    func reportsConflictingDefinitions(input: String, id: String, reason: String) {
        #expect(throws: ModelError.multipleDefinitions(id: id, reason: reason)) { try AntimonyReader.read(string: input) }
    }

    @Test(arguments: [
        ("const k = 1; at (time > 1): k = 2", ModelError.invalidTarget(id: "k", usedIn: "an assignment of event '_E0'", reason: "it is declared constant")),
        ("x := f(1)", .unknownFunction(id: "f")),
        ("J1: A -> B; 1; J1 = 3", .duplicateId(id: "J1", kinds: ["parameter", "reaction"])),
        ("function g(a) a + b end; x := g(1)", .undefinedSymbol(id: "b", usedIn: "function 'g' (a function body may use only its arguments)")),
    ])
    func reportsValidationErrors(input: String, expected: ModelError) {
        do {
            _ = try AntimonyReader.read(string: input)
            Issue.record("read without error")
        } catch let errors as ModelErrors {
            #expect(errors.errors.contains(expected), "\(errors)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
