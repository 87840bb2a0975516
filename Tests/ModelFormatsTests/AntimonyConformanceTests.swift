import Foundation
import ModelIR
import Testing
@testable import ModelFormats

/// Compares what `AntimonyReader` reads from each fixture with what libantimony makes of it: the
/// `NAME.expected.json` summaries of libantimony's SBML, written by `Fixtures/Antimony/generate_expected.py`.
/// Formulas are compared numerically (libantimony re-associates products), element order is not compared.
@Suite struct AntimonyConformanceTests {
    struct Expected: Decodable {
        struct Compartment: Decodable { var id: String; var name: String?; var size: Double?; var constant: Bool; var units: String? }
        struct Species: Decodable {
            var id: String, name: String?, compartment: String, initialAmount: Double?, initialConcentration: Double?
            var hasOnlySubstanceUnits: Bool, boundaryCondition: Bool, constant: Bool
        }
        struct Parameter: Decodable { var id: String; var name: String?; var value: Double?; var constant: Bool; var units: String? }
        struct Reaction: Decodable {
            var id: String, name: String?, reversible: Bool, reactants: [[Entry]], products: [[Entry]]
            var modifiers: [String], kineticLaw: String?
        }
        struct Rule: Decodable { var type: String; var variable: String?; var math: String }
        struct InitialAssignment: Decodable { var symbol: String; var math: String }
        struct Event: Decodable {
            var id: String, name: String?, trigger: String, delay: String?, priority: String?
            var initialValue: Bool, persistent: Bool, useValuesFromTriggerTime: Bool, assignments: [[String]]
        }
        struct Function: Decodable { var id: String; var arguments: [String]; var body: String }
        /// A species id or a stoichiometry in `[["A", 1.0]]`.
        enum Entry: Decodable {
            case text(String), number(Double)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let s = try? c.decode(String.self) { self = .text(s) } else { self = .number(try c.decode(Double.self)) }
            }
        }
        var id: String, name: String?
        var compartments: [Compartment], species: [Species], parameters: [Parameter], reactions: [Reaction]
        var rules: [Rule], initialAssignments: [InitialAssignment], events: [Event], functions: [Function]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Antimony")
    static let fixtures = ["reynolds", "kitchen_sink", "implicit", "rules"]

    func math(_ text: String) throws -> MathExpression { try ExpressionParser.parse(text) }

    @Test(arguments: fixtures)
    func matchesLibantimony(name: String) throws {
        let model = try AntimonyReader.read(contentsOf: Self.directory.appendingPathComponent("\(name).ant"))
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("\(name).expected.json"))
        let expected = try JSONDecoder().decode(Expected.self, from: data)
        func agree(_ a: MathExpression?, _ b: String?, _ what: String) throws {
            #expect((a == nil) == (b == nil), "\(name): \(what) present in only one")
            guard let a, let b else { return }
            let e = try math(b)
            #expect(ExpressionEvaluator.agree(a, e, functions: model.functions), "\(name): \(what): \(a) vs libantimony \(b)")
        }
        #expect(model.id == expected.id)
        #expect(model.name == expected.name)

        let usedCompartments = Set(expected.species.map(\.compartment))
        let compartments = expected.compartments.filter { $0.id != "default_compartment" || usedCompartments.contains($0.id) }
        #expect(model.compartments.map(\.id).sorted() == compartments.map(\.id).sorted(), "\(name): compartments")
        for c in compartments {
            let mine = model.compartments.first { $0.id == c.id }
            #expect(mine?.size == c.size && mine?.constant == c.constant && mine?.name == c.name && mine?.units == c.units,
                    "\(name): compartment \(c.id): \(String(describing: mine)) vs \(c)")
        }
        #expect(model.species.map(\.id).sorted() == expected.species.map(\.id).sorted(), "\(name): species")
        for s in expected.species {
            let mine = model.species.first { $0.id == s.id }
            #expect(mine?.compartment == s.compartment && mine?.initialAmount == s.initialAmount
                    && mine?.initialConcentration == s.initialConcentration
                    && mine?.hasOnlySubstanceUnits == s.hasOnlySubstanceUnits
                    && mine?.boundaryCondition == s.boundaryCondition && mine?.constant == s.constant && mine?.name == s.name,
                    "\(name): species \(s.id): \(String(describing: mine)) vs \(s)")
        }
        #expect(model.parameters.map(\.id).sorted() == expected.parameters.map(\.id).sorted(), "\(name): parameters")
        for p in expected.parameters {
            let mine = model.parameters.first { $0.id == p.id }
            #expect(mine?.value == p.value && mine?.constant == p.constant && mine?.units == p.units && mine?.name == p.name,
                    "\(name): parameter \(p.id): \(String(describing: mine)) vs \(p)")
        }
        #expect(model.reactions.map(\.id) == expected.reactions.map(\.id), "\(name): reactions")
        for (mine, r) in zip(model.reactions, expected.reactions) {
            func refs(_ e: [[Expected.Entry]]) -> [SpeciesReference] {
                e.compactMap { pair in
                    guard case .text(let s)? = pair.first, case .number(let n)? = pair.last else { return nil }
                    return SpeciesReference(species: s, stoichiometry: n)
                }
            }
            #expect(mine.reactants == refs(r.reactants) && mine.products == refs(r.products), "\(name): \(r.id) sides")
            #expect(mine.reversible == r.reversible && mine.name == r.name && mine.modifiers == r.modifiers, "\(name): \(r.id)")
            try agree(mine.kineticLaw, r.kineticLaw, "rate law of \(r.id)")
        }
        #expect(model.rules.count == expected.rules.count, "\(name): rules")
        for r in expected.rules {
            let mine = model.rules.first { $0.variable == r.variable }
            let kind: String? = switch mine {
            case .assignment?: "assignment"
            case .rate?: "rate"
            case .algebraic?: "algebraic"
            case nil: nil
            }
            #expect(kind == r.type, "\(name): rule for \(r.variable ?? "-")")
            try agree(mine?.math, r.math, "rule for \(r.variable ?? "-")")
        }
        #expect(model.initialAssignments.map(\.symbol).sorted() == expected.initialAssignments.map(\.symbol).sorted())
        for a in expected.initialAssignments {
            try agree(model.initialAssignments.first { $0.symbol == a.symbol }?.math, a.math, "initial assignment of \(a.symbol)")
        }
        #expect(model.events.map(\.id) == expected.events.map(\.id), "\(name): events")
        for (mine, e) in zip(model.events, expected.events) {
            #expect(mine.name == e.name && mine.initialValue == e.initialValue && mine.persistent == e.persistent
                    && mine.useValuesFromTriggerTime == e.useValuesFromTriggerTime, "\(name): event \(e.id) options")
            try agree(mine.trigger, e.trigger, "trigger of \(e.id)")
            try agree(mine.delay, e.delay, "delay of \(e.id)")
            try agree(mine.priority, e.priority, "priority of \(e.id)")
            #expect(mine.assignments.map(\.variable) == e.assignments.compactMap(\.first), "\(name): event \(e.id) targets")
            for (a, b) in zip(mine.assignments, e.assignments) { try agree(a.math, b.last, "assignment to \(a.variable)") }
        }
        #expect(model.functions.map(\.id) == expected.functions.map(\.id))
        for (mine, f) in zip(model.functions, expected.functions) {
            #expect(mine.arguments == f.arguments)
            #expect(try mine.body == math(f.body) || ExpressionEvaluator.agree(mine.body, math(f.body), functions: []))
        }
    }
}
