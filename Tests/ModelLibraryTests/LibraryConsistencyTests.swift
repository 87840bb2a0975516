import Foundation
import ModelFormats
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Each model's Antimony source and its metadata describe the same model.
@Suite struct LibraryConsistencyTests {
    @Test(arguments: ModelLibrary.names)
    func loadsValidatesAndCompiles(name: String) throws {
        let model = try ModelLibrary.model(named: name)
        #expect(model.id == name)
        try model.validate()
        let compiled = try CompiledModel(model)
        #expect(compiled.stateCount == model.species.count)
        #expect(model.reactions.isEmpty && model.events.isEmpty, "library models use rate and assignment rules only")
        for c in model.compartments { #expect(c.size == 1, "\(name): compartment \(c.id) must have size 1") }
    }

    @Test(arguments: ModelLibrary.names)
    func metadataListsExactlyTheModelsElements(name: String) throws {
        let model = try ModelLibrary.model(named: name)
        let entry = try ModelLibrary.entry(named: name)
        #expect(entry.name == name)
        #expect(Set(entry.species.map(\.id)) == Set(model.species.map(\.id)), "species of \(name)")
        let ruleDefined = Set(model.rules.compactMap { rule -> String? in
            if case .assignment(let v, _) = rule { return v } else { return nil }
        })
        let constants = Set(model.parameters.map(\.id)).subtracting(ruleDefined)
        #expect(Set(entry.parameters.map(\.id)) == constants, "constant parameters of \(name)")
        #expect(Set(entry.derived.map(\.id)) == ruleDefined, "assignment-rule quantities of \(name)")
        #expect(Set(entry.parameters.map(\.id)).count == entry.parameters.count, "duplicate parameter ids in \(name)")
        if let unit = model.timeUnit { #expect(entry.timeUnit == unit) }
    }

    @Test(arguments: ModelLibrary.names)
    func metadataValuesEqualTheSource(name: String) throws {
        let model = try ModelLibrary.model(named: name)
        let entry = try ModelLibrary.entry(named: name)
        for p in entry.parameters {
            let value = model.parameters.first { $0.id == p.id }?.value
            #expect(value == p.value, "\(name).\(p.id): source \(String(describing: value)), metadata \(p.value)")
        }
        // Initial values (including initial assignments) as the simulator computes them at t = 0.
        let compiled = try Library.compiled(name)
        let result = try SimulationProblem(model: compiled, outputTimes: [0]).solve()
        for s in entry.species {
            let value = try #require(result.series(s.id)?.first)
            expectClose(value, s.initialValue, rtol: 1e-12, atol: 1e-300, "\(name).\(s.id)(0)")
        }
        for d in entry.derived {
            let rule = model.rules.first { $0.variable == d.id }
            let expected = try ExpressionParser.parse(d.expression)
            #expect(rule?.math == expected, "\(name).\(d.id): metadata formula differs from the source")
        }
    }

    @Test(arguments: ModelLibrary.names)
    func treatmentInputsObservablesAndScenariosReferToTheModel(name: String) throws {
        let model = try ModelLibrary.model(named: name)
        let entry = try ModelLibrary.entry(named: name)
        let symbols = Set(model.symbolTable.keys)
        let parameterIds = Set(entry.parameters.map(\.id))
        for input in entry.treatmentInputs {
            #expect(parameterIds.contains(input.id), "\(name): treatment input \(input.id) is not a parameter")
        }
        let compiled = try Library.compiled(name)
        for o in entry.observables {
            let math = try ExpressionParser.parse(o.expression)
            let unknown = math.referencedSymbols.subtracting(symbols)
            #expect(unknown.isEmpty, "\(name): observable \(o.id) uses unknown \(unknown.sorted())")
            // It compiles and evaluates to a finite value at the initial state.
            var withOutput = model
            withOutput.parameters.append(Parameter(id: "__obs", constant: false))
            withOutput.rules.append(.assignment(variable: "__obs", math: math))
            let evaluated = try SimulationProblem(model: CompiledModel(withOutput, outputs: [.value("__obs")]), outputTimes: [0]).solve()
            #expect(evaluated.series("__obs")?.first?.isFinite == true, "\(name): observable \(o.id) is not finite at t0")
        }
        for v in entry.variability {
            #expect(compiled.inputIndex(of: v.parameter) != nil, "\(name): variability of unknown input \(v.parameter)")
            switch v.distribution {
            case .lognormal: #expect((v.cv ?? 0) > 0, "\(name).\(v.parameter): lognormal needs cv > 0")
            case .normal: #expect((v.sd ?? 0) > 0, "\(name).\(v.parameter): normal needs sd > 0")
            case .uniform: #expect((v.lower ?? .nan) < (v.upper ?? .nan), "\(name).\(v.parameter): uniform needs lower < upper")
            }
        }
        for scenario in entry.scenarios {
            for id in scenario.inputs.keys {
                #expect(compiled.inputIndex(of: id) != nil, "\(name): scenario \(scenario.name) sets unknown input \(id)")
            }
        }
    }

    @Test(arguments: ModelLibrary.names)
    func lowConfidenceChecksAreNeverGates(name: String) throws {
        let entry = try ModelLibrary.entry(named: name)
        #expect(!entry.checks.isEmpty)
        for check in entry.checks {
            if check.confidence == .L { #expect(!check.isTested, "\(name): [L] check \(check.id) must not be a gate") }
            #expect(!check.test.isEmpty)
        }
        #expect(Set(entry.checks.map(\.id)).count == entry.checks.count)
    }

    @Test(arguments: ModelLibrary.names)
    func sourceDocumentsTheEquations(name: String) throws {
        let source = try ModelLibrary.antimonySource(named: name)
        let entry = try ModelLibrary.entry(named: name)
        #expect(source.hasPrefix("//"), "\(name).ant starts with its citation comment")
        #expect(source.contains("model \(name)()"))
        if let doi = entry.citation.doi, let pmid = entry.citation.pmid {
            #expect(source.contains(doi) || source.contains(pmid), "\(name).ant cites its DOI or PMID")
        }
    }
}
