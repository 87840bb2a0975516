import Testing
@testable import ModelIR

@Suite struct ValidationTests {
    func base() -> Model {
        Model(id: "m", compartments: [Compartment(id: "c")],
              species: [Species(id: "A", compartment: "c", initialConcentration: 1), Species(id: "B", compartment: "c", initialConcentration: 0)],
              parameters: [Parameter(id: "k", value: 1)],
              reactions: [Reaction(id: "J1", reactants: [SpeciesReference(species: "A")], products: [SpeciesReference(species: "B")],
                                   kineticLaw: try! ExpressionParser.parse("c*k*A"))])
    }

    @Test func acceptsAValidModel() throws { try base().validate() }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var edit: @Sendable (inout Model) -> Void
        var expected: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "duplicate", edit: { $0.parameters.append(Parameter(id: "A", value: 1)) }, expected: "duplicate id 'A'"),
        Case(name: "undefined", edit: { $0.reactions[0].kineticLaw = .symbol("kk") }, expected: "undefined symbol 'kk' in the kinetic law of reaction 'J1'"),
        Case(name: "compartment", edit: { $0.species[0].compartment = "nowhere" }, expected: "species 'A' is in undefined compartment 'nowhere'"),
        Case(name: "species", edit: { $0.reactions[0].products[0].species = "Z" }, expected: "reaction 'J1' refers to undefined species 'Z'"),
        Case(name: "constant target", edit: { $0.rules.append(.assignment(variable: "k", math: .number(2))) }, expected: "'k' cannot be set by the assignment rule for 'k': it is declared constant"),
        Case(name: "two rules", edit: {
            $0.parameters.append(Parameter(id: "v", value: 0, constant: false))
            $0.rules += [.assignment(variable: "v", math: .number(1)), .rate(variable: "v", math: .number(1))]
        }, expected: "'v' is defined more than once"),
        Case(name: "function", edit: { $0.reactions[0].kineticLaw = .call("mm", [.symbol("A")]) }, expected: "call of undefined function 'mm'"),
        Case(name: "event target", edit: {
            $0.events.append(Event(id: "E", trigger: .binary(.greater, .time, .number(1)), assignments: [EventAssignment(variable: "J1", math: .number(0))]))
        }, expected: "'J1' cannot be set by an assignment of event 'E': it is a reaction"),
    ])
    func reportsTheOffendingElement(c: Case) {
        var m = base()
        c.edit(&m)
        do {
            try m.validate()
            Issue.record("expected an error containing \(c.expected)")
        } catch {
            #expect("\(error)".contains(c.expected), "\(error)")
        }
    }
}
