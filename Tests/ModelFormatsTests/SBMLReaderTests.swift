import Foundation
import Testing
import ModelIR
@testable import ModelFormats

/// Wraps model content in an `<sbml>` element of the given level and version.
func sbmlDocument(level: Int = 3, version: Int = 2, extraRootAttributes: String = "", _ model: String) -> String {
    let ns = level == 3 ? "http://www.sbml.org/sbml/level3/version\(version)/core"
        : version == 1 ? "http://www.sbml.org/sbml/level2" : "http://www.sbml.org/sbml/level2/version\(version)"
    return """
    <?xml version="1.0" encoding="UTF-8"?>
    <sbml xmlns="\(ns)" level="\(level)" version="\(version)"\(extraRootAttributes)>
    \(model)
    </sbml>
    """
}

let mathNS = "xmlns=\"http://www.w3.org/1998/Math/MathML\""
let timeSymbol = "<csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/time\"> t </csymbol>"

@Suite struct SBMLReaderTests {
    static let level3 = sbmlDocument("""
      <model id="m" name="M" timeUnits="second" conversionFactor="cf" substanceUnits="mole">
        <notes><body xmlns="http://www.w3.org/1999/xhtml"><p>Hello
          world</p></body></notes>
        <listOfFunctionDefinitions>
          <functionDefinition id="f"><math \(mathNS)><lambda><bvar><ci>x</ci></bvar><bvar><ci>y</ci></bvar>
            <apply><times/><ci>x</ci><ci>y</ci></apply></lambda></math></functionDefinition>
        </listOfFunctionDefinitions>
        <listOfUnitDefinitions>
          <unitDefinition id="per_hour"><listOfUnits>
            <unit kind="second" exponent="-1" scale="0" multiplier="3600"/></listOfUnits></unitDefinition>
        </listOfUnitDefinitions>
        <listOfCompartments>
          <compartment id="c" name="cell" spatialDimensions="3" size="2.5" units="litre" constant="true"/>
          <compartment id="d" spatialDimensions="2" constant="false"/>
        </listOfCompartments>
        <listOfSpecies>
          <species id="A" compartment="c" initialAmount="1.5" substanceUnits="mole" hasOnlySubstanceUnits="true"
                   boundaryCondition="false" constant="false" conversionFactor="cf"/>
          <species id="B" compartment="c" initialConcentration="2" hasOnlySubstanceUnits="false"
                   boundaryCondition="true" constant="false"/>
        </listOfSpecies>
        <listOfParameters>
          <parameter id="k" value="0.1" units="per_hour" constant="true"/>
          <parameter id="cf" value="1" constant="true"/>
          <parameter id="v" constant="false"/>
          <parameter id="w" value="0" constant="false"/>
        </listOfParameters>
        <listOfInitialAssignments>
          <initialAssignment symbol="v"><math \(mathNS)><apply><times/><cn type="integer">2</cn><ci>k</ci></apply></math></initialAssignment>
        </listOfInitialAssignments>
        <listOfRules>
          <assignmentRule variable="d"><math \(mathNS)><apply><ci>f</ci><ci>k</ci><cn>3</cn></apply></math></assignmentRule>
          <rateRule variable="w"><math \(mathNS)><cn>1</cn></math></rateRule>
          <algebraicRule><math \(mathNS)><apply><minus/><ci>v</ci><ci>w</ci></apply></math></algebraicRule>
        </listOfRules>
        <listOfReactions>
          <reaction id="R" name="conversion" reversible="false">
            <listOfReactants><speciesReference id="sr" species="A" stoichiometry="2" constant="false"/></listOfReactants>
            <listOfProducts><speciesReference species="B" constant="true"/></listOfProducts>
            <listOfModifiers><modifierSpeciesReference species="B"/></listOfModifiers>
            <kineticLaw>
              <math \(mathNS)><apply><times/><ci>k</ci><ci>A</ci><ci>kl</ci></apply></math>
              <listOfLocalParameters><localParameter id="kl" value="3"/></listOfLocalParameters>
            </kineticLaw>
          </reaction>
        </listOfReactions>
        <listOfEvents>
          <event id="E" useValuesFromTriggerTime="false">
            <trigger initialValue="false" persistent="false"><math \(mathNS)><apply><gt/>\(timeSymbol)<cn>1</cn></apply></math></trigger>
            <priority><math \(mathNS)><cn>1</cn></math></priority>
            <delay><math \(mathNS)><cn>0.5</cn></math></delay>
            <listOfEventAssignments><eventAssignment variable="w"><math \(mathNS)><cn>0</cn></math></eventAssignment></listOfEventAssignments>
          </event>
        </listOfEvents>
      </model>
    """)

    @Test func readsEveryLevel3Field() throws {
        let m = try SBMLReader.read(string: Self.level3)
        #expect(m.id == "m")
        #expect(m.name == "M")
        #expect(m.timeUnit == "second")
        #expect(m.conversionFactor == "cf")
        #expect(m.metadata["notes"] == "Hello world")
        #expect(m.metadata["sbml.substanceUnits"] == "mole")
        #expect(m.metadata["sbml.unitDefinition.per_hour"] == "second:-1:0:3600")
        #expect(m.functions == [FunctionDefinition(id: "f", arguments: ["x", "y"], body: .binary(.multiply, .symbol("x"), .symbol("y")))])
        #expect(m.compartments == [
            Compartment(id: "c", name: "cell", size: 2.5, spatialDimensions: 3, constant: true, units: "litre"),
            Compartment(id: "d", size: nil, spatialDimensions: 2, constant: false),
        ])
        #expect(m.species == [
            Species(id: "A", compartment: "c", initialAmount: 1.5, hasOnlySubstanceUnits: true, boundaryCondition: false,
                    constant: false, conversionFactor: "cf", units: "mole"),
            Species(id: "B", compartment: "c", initialConcentration: 2, hasOnlySubstanceUnits: false, boundaryCondition: true,
                    constant: false),
        ])
        #expect(m.parameters == [
            Parameter(id: "k", value: 0.1, constant: true, units: "per_hour"), Parameter(id: "cf", value: 1, constant: true),
            Parameter(id: "v", value: nil, constant: false), Parameter(id: "w", value: 0, constant: false),
        ])
        #expect(m.initialAssignments == [InitialAssignment(symbol: "v", math: .binary(.multiply, .number(2), .symbol("k")))])
        #expect(m.rules == [
            .assignment(variable: "d", math: .call("f", [.symbol("k"), .number(3)])),
            .rate(variable: "w", math: .number(1)),
            .algebraic(math: .binary(.subtract, .symbol("v"), .symbol("w"))),
        ])
        #expect(m.reactions == [Reaction(
            id: "R", name: "conversion",
            reactants: [SpeciesReference(species: "A", stoichiometry: 2, id: "sr", constant: false)],
            products: [SpeciesReference(species: "B", stoichiometry: nil, constant: true)],
            modifiers: ["B"],
            kineticLaw: .binary(.multiply, .binary(.multiply, .symbol("k"), .symbol("A")), .symbol("kl")),
            localParameters: [Parameter(id: "kl", value: 3, constant: true)],
            reversible: false, fast: false)])
        #expect(m.events == [Event(
            id: "E", trigger: .binary(.greater, .time, .number(1)), initialValue: false, persistent: false,
            delay: .number(0.5), priority: .number(1), useValuesFromTriggerTime: false,
            assignments: [EventAssignment(variable: "w", math: .number(0))])])
    }

    @Test func level3AbsentAttributesUseTheDocumentedChoices() throws {
        let m = try SBMLReader.read(string: sbmlDocument("""
          <model>
            <listOfCompartments><compartment id="c"/></listOfCompartments>
            <listOfSpecies><species id="S" compartment="c"/></listOfSpecies>
            <listOfParameters><parameter id="p"/></listOfParameters>
            <listOfReactions><reaction id="R"><listOfProducts><speciesReference species="S"/></listOfProducts></reaction></listOfReactions>
            <listOfEvents><event><trigger><math \(mathNS)><true/></math></trigger></event></listOfEvents>
          </model>
        """))
        #expect(m.id == "")
        #expect(m.timeUnit == nil)
        #expect(m.compartments == [Compartment(id: "c", size: nil, spatialDimensions: 3, constant: true)])
        #expect(m.species == [Species(id: "S", compartment: "c")])
        #expect(m.parameters == [Parameter(id: "p", value: nil, constant: true)])
        #expect(m.reactions == [Reaction(id: "R", products: [SpeciesReference(species: "S", stoichiometry: nil, constant: true)],
                                         kineticLaw: nil, reversible: true, fast: false)])
        #expect(m.events == [Event(id: "", trigger: .number(1), initialValue: true, persistent: true, useValuesFromTriggerTime: true, assignments: [])])
    }

    @Test(arguments: 1...5) func level2DefaultsApply(version: Int) throws {
        let m = try SBMLReader.read(string: sbmlDocument(level: 2, version: version, """
          <model id="m2">
            <listOfCompartments>
              <compartment id="c"/><compartment id="z" spatialDimensions="0"/><compartment id="ca"/>
            </listOfCompartments>
            <listOfSpecies><species id="A" compartment="c" initialAmount="1"/></listOfSpecies>
            <listOfParameters><parameter id="k" value="1"/><parameter id="p" value="2" constant="false"/></listOfParameters>
            <listOfInitialAssignments><initialAssignment symbol="ca"><math \(mathNS)><cn>3</cn></math></initialAssignment></listOfInitialAssignments>
            <listOfReactions>
              <reaction id="R">
                <listOfReactants><speciesReference species="A"/></listOfReactants>
                <listOfProducts><speciesReference species="A">
                  <stoichiometryMath><math \(mathNS)><ci>p</ci></math></stoichiometryMath></speciesReference></listOfProducts>
                <kineticLaw><math \(mathNS)><apply><times/><ci>k</ci><ci>A</ci><ci>kl</ci></apply></math>
                  <listOfParameters><parameter id="kl" value="2"/></listOfParameters></kineticLaw>
              </reaction>
            </listOfReactions>
            <listOfEvents><event><trigger><math \(mathNS)><apply><gt/>\(timeSymbol)<cn>1</cn></apply></math></trigger>
              <delay><math \(mathNS)><cn>2</cn></math></delay>
              <listOfEventAssignments><eventAssignment variable="p"><math \(mathNS)><cn>5</cn></math></eventAssignment></listOfEventAssignments>
            </event></listOfEvents>
          </model>
        """))
        #expect(m.compartments == [
            Compartment(id: "c", size: 1, spatialDimensions: 3, constant: true),
            Compartment(id: "z", size: nil, spatialDimensions: 0, constant: true),
            Compartment(id: "ca", size: nil, spatialDimensions: 3, constant: true),
        ])
        #expect(m.species == [Species(id: "A", compartment: "c", initialAmount: 1, hasOnlySubstanceUnits: false,
                                      boundaryCondition: false, constant: false)])
        #expect(m.parameters == [Parameter(id: "k", value: 1, constant: true), Parameter(id: "p", value: 2, constant: false)])
        let r = try #require(m.reactions.first)
        #expect(r.reversible && !r.fast)
        #expect(r.reactants == [SpeciesReference(species: "A", stoichiometry: 1, constant: true)])
        #expect(r.products == [SpeciesReference(species: "A", stoichiometry: nil, constant: false, stoichiometryMath: .symbol("p"))])
        #expect(r.localParameters == [Parameter(id: "kl", value: 2, constant: true)])
        #expect(m.events == [Event(id: "", trigger: .binary(.greater, .time, .number(1)), initialValue: true, persistent: true,
                                   delay: .number(2), useValuesFromTriggerTime: true,
                                   assignments: [EventAssignment(variable: "p", math: .number(5))])])
        #expect(m.timeUnit == nil)
    }

    @Test func elementsWithoutMathAreDropped() throws {
        let m = try SBMLReader.read(string: sbmlDocument("""
          <model>
            <listOfFunctionDefinitions><functionDefinition id="f"/></listOfFunctionDefinitions>
            <listOfParameters><parameter id="p" value="1" constant="false"/></listOfParameters>
            <listOfInitialAssignments><initialAssignment symbol="p"/></listOfInitialAssignments>
            <listOfRules><assignmentRule variable="p"/></listOfRules>
            <listOfEvents>
              <event id="E1"><trigger><math \(mathNS)><true/></math></trigger>
                <listOfEventAssignments><eventAssignment variable="p"/></listOfEventAssignments></event>
              <event id="E2"><listOfEventAssignments><eventAssignment variable="p"><math \(mathNS)><cn>1</cn></math></eventAssignment></listOfEventAssignments></event>
            </listOfEvents>
          </model>
        """))
        #expect(m.functions.isEmpty && m.initialAssignments.isEmpty && m.rules.isEmpty)
        #expect(m.events.map(\.id) == ["E1"])
        #expect(m.events.first?.assignments.isEmpty == true)
    }

    @Test func readsFromAFileAndInspectsPackages() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sbml-reader-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.level3.write(to: url, atomically: true, encoding: .utf8)
        #expect(try SBMLReader.read(contentsOf: url).id == "m")
        let info = try SBMLReader.inspect(contentsOf: url)
        #expect(info == SBMLDocumentInfo(level: 3, version: 2, packages: []))
    }

    @Test func readsPrefixedSBMLElements() throws {
        let text = """
        <sbml:sbml xmlns:sbml="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
          <sbml:model id="p"><sbml:listOfParameters><sbml:parameter id="k" value="2" constant="true"/></sbml:listOfParameters></sbml:model>
        </sbml:sbml>
        """
        #expect(try SBMLReader.read(string: text).parameters == [Parameter(id: "k", value: 2)])
    }
}
