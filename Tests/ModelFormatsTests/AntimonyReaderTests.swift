import Foundation
import ModelIR
import Testing
@testable import ModelFormats

/// Statement-by-statement behaviour of `AntimonyReader`.
@Suite struct AntimonyReaderTests {
    func read(_ text: String) throws -> Model { try AntimonyReader.read(string: text) }
    func parse(_ text: String) throws -> MathExpression { try ExpressionParser.parse(text) }

    // MARK: Model blocks and comments

    @Test(arguments: [
        ("model m()\n  x = 1\nend", "m"),
        ("model *main_model()\n  x = 1\nend", "main_model"),
        ("model m\n  x = 1\nend", "m"),
        ("model m() x = 1\nend", "m"),
        ("x = 1", "__main"),
        ("function f(a) a end\nmodel m(); x = f(1); end", "m"),
    ])
    func modelId(text: String, id: String) throws {
        #expect(try read(text).id == id)
    }

    @Test func commentsAreIgnored() throws {
        let m = try read("""
            // line comment
            # hash comment
            /* block
               comment */ k = 1 /* inline */ ; j = 2 // trailing
            n is "a // not a comment"
            """)
        #expect(m.parameters.map(\.id) == ["k", "j", "n"])
        #expect(m.parameters.last?.name == "a // not a comment")
    }

    // MARK: Declarations and values

    @Test func compartmentsAndSpecies() throws {
        let m = try read("compartment c = 2, d; species S in c, $B in d; substanceOnly species X in c; X = 3; S = 10")
        #expect(m.compartments == [Compartment(id: "c", size: 2), Compartment(id: "d", size: nil)])
        #expect(m.species == [
            Species(id: "S", compartment: "c", initialConcentration: 10),
            Species(id: "B", compartment: "d", boundaryCondition: true),
            Species(id: "X", compartment: "c", initialAmount: 3, hasOnlySubstanceUnits: true),
        ])
    }

    @Test(arguments: [
        ("species S; S in c", "c"),
        ("S in c; species S", "c"),
        ("species S in c = 4", "c"),
        ("species S", "default_compartment"),
        ("A -> S; 1", "default_compartment"),
    ])
    func speciesLocation(text: String, compartment: String) throws {
        let m = try read(text)
        #expect(m.species.first { $0.id == "S" }?.compartment == compartment)
        #expect(m.compartments.map(\.id) == [compartment])
        #expect(m.compartments.first?.size == (compartment == "default_compartment" ? 1 : nil))
    }

    @Test(arguments: [
        ("species S", false), ("species $S", true), ("const species S", true), ("const S; A -> S; 1", true),
        ("$S -> A; 1", true), ("S -> A; 1", false),
    ])
    func boundarySpecies(text: String, boundary: Bool) throws {
        let s = try read(text).species.first { $0.id == "S" }
        #expect(s?.boundaryCondition == boundary)
        #expect(s?.constant == false)
    }

    @Test(arguments: [
        ("k = 1", 1.0 as Double?, nil as String?),
        ("k = 1; k = 2", 2, nil),
        ("k = 1; k = j", nil, "j"),
        ("k = j; k = 3", 3, nil),
        ("k = -2.5e-3", -2.5e-3, nil),
        ("k = 2 * 3", nil, "2 * 3"),
    ])
    func valuesAndInitialAssignments(text: String, value: Double?, assignment: String?) throws {
        let m = try read(text)
        #expect(m.parameters.first { $0.id == "k" }?.value == value)
        #expect(try m.initialAssignments.first { $0.symbol == "k" }?.math == assignment.map(parse))
        #expect(m.initialAssignments.filter { $0.symbol == "k" }.count == (assignment == nil ? 0 : 1))
    }

    @Test func speciesValueIsConcentrationUnlessSubstanceOnly() throws {
        let m = try read("compartment c = 2; species A in c, B in c; substanceOnly species X in c\nA = 4; X = 4; B = A * c")
        #expect(m.species[0].initialConcentration == 4 && m.species[0].initialAmount == nil)
        #expect(m.species[2].initialAmount == 4 && m.species[2].initialConcentration == nil)
        #expect(try m.initialAssignments == [InitialAssignment(symbol: "B", math: parse("A * c"))])
    }

    @Test(arguments: [
        ("k = 1", true), ("var k = 1", false), ("const k = 1", true), ("k = 1; k' = 0", false), ("k := 2", false),
        ("k = 1; at (time > 1): k = 2", false), ("x = 1; 0 = x + k", false), ("compartment k = 1", true),
        ("var compartment k = 1", false), ("compartment k = 1; k' = 1", false),
    ])
    func constantFlags(text: String, constant: Bool) throws {
        let m = try read(text)
        let flag = m.parameters.first { $0.id == "k" }?.constant ?? m.compartments.first { $0.id == "k" }?.constant
        #expect(flag == constant)
    }

    @Test func undefinedSymbolsBecomeParametersWithoutValue() throws {
        let m = try read("A -> B; k * A * E; species E; y := q + time")
        #expect(m.parameters.map(\.id) == ["y", "k", "q"])
        #expect(m.parameters.allSatisfy { $0.value == nil })
        try m.validate()
    }

    @Test func elementOrderIsFirstDefinitionThenFirstUse() throws {
        let m = try read("x := a + b + z; b = 1; species S2, S1; J: S3 -> S1; k; a = 2")
        #expect(m.parameters.map(\.id) == ["x", "b", "a", "z", "k"])
        #expect(m.species.map(\.id) == ["S2", "S1", "S3"])
    }

    // MARK: Rules

    @Test func rules() throws {
        let m = try read("x := A + 1; y' = -y; y = 1; x := 2; 0 = x + y - 3")
        #expect(try m.rules == [
            .rate(variable: "y", math: parse("-y")), .assignment(variable: "x", math: parse("2")),
            .algebraic(math: parse("x + y - 3")),
        ])
        #expect(m.parameters.first { $0.id == "y" }?.value == 1)
    }

    @Test func assignmentRuleReplacesInitialValue() throws {
        let m = try read("x = 3; x := a; z = 1; z = w * 2; z := 4")
        #expect(m.parameters.first { $0.id == "x" }?.value == nil)
        #expect(m.initialAssignments.isEmpty)
        #expect(m.rules.count == 2)
    }

    // MARK: Reactions

    @Test(arguments: [
        ("J1: A + 2 B -> C; k1*A*B", "J1", ["A": 1.0, "B": 2.0], ["C": 1.0], true),
        ("J1: A + 2 B => C; k1*A*B", "J1", ["A": 1, "B": 2], ["C": 1], false),
        ("-> P; k", "_J0", [:], ["P": 1], true),
        ("A -> ; k*A", "_J0", ["A": 1], [:], true),
        ("A => ; k*A", "_J0", ["A": 1], [:], false),
        ("$A -> 2.5 B; k", "_J0", ["A": 1], ["B": 2.5], true),
        ("2 A -> A2", "_J0", ["A": 2], ["A2": 1], true),
    ])
    func reactions(text: String, id: String, reactants: [String: Double], products: [String: Double], reversible: Bool) throws {
        let r = try #require(try read(text).reactions.first)
        #expect(r.id == id)
        #expect(Dictionary(uniqueKeysWithValues: r.reactants.map { ($0.species, $0.stoichiometry ?? 1) }) == reactants)
        #expect(Dictionary(uniqueKeysWithValues: r.products.map { ($0.species, $0.stoichiometry ?? 1) }) == products)
        #expect(r.reversible == reversible)
    }

    @Test func reactionDetails() throws {
        let m = try read("J0: A -> B; k * A * E * Q\n species E\n -> A; 1\n _J1: B ->\n A -> B; ;")
        #expect(m.reactions.map(\.id) == ["J0", "_J0", "_J1", "_J2"])
        #expect(m.reactions[0].modifiers == ["E"])
        #expect(m.reactions[2].kineticLaw == nil && m.reactions[3].kineticLaw == nil)
        #expect(m.parameters.map(\.id) == ["k", "Q"])
    }

    // MARK: Functions, events, units, names

    @Test func functions() throws {
        let m = try read("function f(a, b)\n  a*b/(1+a);\nend\nmodel m()\n  x := f(1, 2) + log(3)\nend")
        #expect(try m.functions == [FunctionDefinition(id: "f", arguments: ["a", "b"], body: parse("a*b/(1+a)"))])
        #expect(m.rules.first?.math == .binary(.add, .call("f", [.number(1), .number(2)]), .builtin(.ln, [.number(3)])))
    }

    @Test func events() throws {
        let m = try read("""
            E1: at (time > 5): k = 0, S = S + 1
            at 2 after (time > 6), priority = 1, t0 = false, persistent = false, fromTrigger = false: k = 1
            at time > 7, t0 = true: k = 2;
            species S; k = 3
            """)
        #expect(m.events.map(\.id) == ["E1", "_E0", "_E1"])
        let e1 = m.events[0]
        #expect(try e1.trigger == parse("time > 5") && e1.delay == nil && e1.priority == nil)
        #expect(e1.initialValue && e1.persistent && e1.useValuesFromTriggerTime)
        #expect(try e1.assignments == [EventAssignment(variable: "k", math: .number(0)),
                                       EventAssignment(variable: "S", math: parse("S + 1"))])
        let e2 = m.events[1]
        #expect(e2.delay == .number(2) && e2.priority == .number(1))
        #expect(!e2.initialValue && !e2.persistent && !e2.useValuesFromTriggerTime)
        #expect(m.events[2].initialValue)
    }

    @Test func units() throws {
        let m = try read("""
            unit per_hour = 1 / hour
            unit conc = mole / litre
            unit time_unit = hour
            k1 = 0.3 per_hour; k2 has conc; k3 = 2 mole/litre; species S = 1 conc
            """)
        #expect(m.metadata == ["unit:per_hour": "1/hour", "unit:conc": "mole/litre"])
        #expect(m.timeUnit == "hour")
        #expect(m.parameters.map(\.units) == ["per_hour", "conc", "mole/litre"])
        #expect(m.parameters[0].value == 0.3 && m.parameters[2].value == 2)
        #expect(m.species.first?.units == "conc" && m.species.first?.initialConcentration == 1)
        #expect(try read("time_unit = day").timeUnit == "day")
    }

    @Test func displayNames() throws {
        let m = try read("""
            model m()
              J1: A -> B; k; E1: at (time > 1): k = 2
              A is "Pathogen"; J1 is "Conversion"; E1 is "Switch"; k is "rate \\"k\\""
            end
            m is "My model"
            """)
        #expect(m.name == "My model")
        #expect(m.species.first?.name == "Pathogen")
        #expect(m.reactions.first?.name == "Conversion")
        #expect(m.events.first?.name == "Switch")
        #expect(m.parameters.map(\.id) == ["k"] && m.parameters.first?.name == "rate \"k\"")
    }

    @Test func readsFromFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("antimony-\(UUID().uuidString).ant")
        try "x = 1\ny = x +\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: ModelError.self) { try AntimonyReader.read(contentsOf: url) }
        do {
            _ = try AntimonyReader.read(contentsOf: url)
        } catch ModelError.syntax(_, let location, let file) {
            #expect(file == url.path && location.line == 2)
        }
    }
}
