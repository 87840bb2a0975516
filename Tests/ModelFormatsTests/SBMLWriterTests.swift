import Foundation
import Testing
import ModelIR
@testable import ModelFormats

@Suite struct SBMLWriterTests {
    @Test func level3DocumentRoundTrips() throws {
        let model = try SBMLReader.read(string: SBMLReaderTests.level3)
        let text = SBMLWriter.write(model)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">"))
        #expect(try SBMLReader.read(string: text) == model)
    }

    @Test func level2StoichiometryMathBecomesARule() throws {
        let model = try SBMLReader.read(string: sbmlDocument(level: 2, version: 4, """
          <model id="m">
            <listOfCompartments><compartment id="c"/></listOfCompartments>
            <listOfSpecies><species id="A" compartment="c" initialAmount="1"/></listOfSpecies>
            <listOfParameters><parameter id="p" value="2" constant="false"/></listOfParameters>
            <listOfReactions><reaction id="R"><listOfProducts><speciesReference species="A">
              <stoichiometryMath><math \(mathNS)><ci>p</ci></math></stoichiometryMath></speciesReference></listOfProducts>
              <kineticLaw><math \(mathNS)><cn>1</cn></math></kineticLaw></reaction></listOfReactions>
          </model>
        """))
        let normalised = model.normalisedForSBMLLevel3()
        #expect(normalised.reactions[0].products == [SpeciesReference(species: "A", stoichiometry: nil, id: "R_A_stoichiometry", constant: false)])
        #expect(normalised.rules == [.assignment(variable: "R_A_stoichiometry", math: .symbol("p"))])
        #expect(try SBMLReader.read(string: SBMLWriter.write(model)) == normalised)
    }

    /// A model built in code (as an Antimony import or the library would) with every construct.
    static let built = Model(
        id: "built", name: "A <model> & \"quotes\"",
        compartments: [Compartment(id: "c", size: 2), Compartment(id: "flat", size: nil, spatialDimensions: 2, constant: false)],
        species: [Species(id: "T", compartment: "c", initialConcentration: 1e6, units: "cells"),
                  Species(id: "V", compartment: "c", initialAmount: 1e-9, hasOnlySubstanceUnits: true, boundaryCondition: true, conversionFactor: "k")],
        parameters: [Parameter(id: "k", value: 0.5), Parameter(id: "x", value: -.infinity, constant: false),
                     Parameter(id: "y", value: nil, constant: false), Parameter(id: "big", value: 6.02214076e23)],
        reactions: [Reaction(id: "J", reactants: [SpeciesReference(species: "T", stoichiometry: 2.5, id: "ref", constant: false)],
                             products: [SpeciesReference(species: "V", stoichiometry: nil)], modifiers: ["V"],
                             kineticLaw: try! ExpressionParser.parse("k * T^2 / (1 + V) - exp(-k*time) + f(T, 2)"),
                             localParameters: [Parameter(id: "kl", value: 1.5e-7)], reversible: false, fast: true)],
        functions: [FunctionDefinition(id: "f", arguments: ["a", "b"], body: try! ExpressionParser.parse("piecewise(a, a > b && !(b == 0), b)"))],
        initialAssignments: [InitialAssignment(symbol: "y", math: try! ExpressionParser.parse("root(3, k) + sqrt(k) + log(10, k) + log10(k) + min(k, 1, 2) + rem(5, 3) + quotient(5, 3) + abs(-k) + 1/3"))],
        rules: [.rate(variable: "x", math: try! ExpressionParser.parse("-x + rateOf(T) + delay(T, 1) + asinh(k) + arccot(k) + sech(k) + factorial(3) + ceil(k) + floor(k)")),
                .assignment(variable: "flat", math: try! ExpressionParser.parse("pi + exponentiale + 1e300 + xor(k > 1, k < 2, true)")),
                .algebraic(math: try! ExpressionParser.parse("x - y"))],
        events: [Event(id: "", trigger: try! ExpressionParser.parse("time >= 10 || false"), initialValue: false, persistent: false,
                       delay: .number(1), priority: .symbol("k"), useValuesFromTriggerTime: false,
                       assignments: [EventAssignment(variable: "T", math: .number(0)), EventAssignment(variable: "ref", math: .number(3))])],
        conversionFactor: "k", timeUnit: "day",
        metadata: ["doi": "10.1000/xyz & <escaped>", "notes": "A note.", SBMLUnits.definitionKey("cells"): "item:1:0:1",
                   SBMLUnits.modelAttributeKey("substanceUnits"): "cells"])

    @Test func builtModelRoundTrips() throws {
        try Self.built.validate()
        let text = SBMLWriter.write(Self.built)
        let again = try SBMLReader.read(string: text)
        #expect(again == Self.built, "\(text)")
    }

    @Test func documentedNormalisations() throws {
        var m = Model(id: "n", parameters: [Parameter(id: "k", value: 2), Parameter(id: "p", constant: false)])
        m.rules = [.assignment(variable: "p", math: .builtin(.pow, [.symbol("k"), .number(2)])
                        + .builtin(.log2, [.symbol("k")]))]
        let again = try SBMLReader.read(string: SBMLWriter.write(m))
        #expect(again.rules == [.assignment(variable: "p", math: .binary(.power, .symbol("k"), .number(2))
                                            + .builtin(.log, [.number(2), .symbol("k")]))])
    }

    @Test func booleanPositionsUseTrueAndFalse() {
        var m = Model(id: "b", parameters: [Parameter(id: "p", value: 0, constant: false)])
        m.events = [Event(id: "E", trigger: .binary(.and, .number(1), .unary(.not, .number(0))), assignments: [EventAssignment(variable: "p", math: .number(1))])]
        let text = SBMLWriter.write(m)
        #expect(text.contains("<true/>") && text.contains("<false/>"))
        #expect(text.contains("<cn type=\"integer\"> 1 </cn>"))
    }
}

private func + (l: MathExpression, r: MathExpression) -> MathExpression { .binary(.add, l, r) }
