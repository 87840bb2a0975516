import Foundation
import ModelIR
import Testing
@testable import Simulation

/// Outputs that are states, or one product or quotient of a state and another register (a concentration: the
/// amount times the hoisted reciprocal of a constant compartment size, or divided by a varying one), are recorded by
/// the batched lanes without the output program's interpreter (`DirectOutput`); the values must stay bit for bit
/// the scalar path's.
@Suite struct DirectOutputTests {
    /// A → B in a compartment of size 2.5 (concentrations are amount / 2.5), plus a parameter output; with
    /// `withRule`, also A's amount (recomputed as concentration × size: two operations) and an assignment rule.
    func model(withRule: Bool) throws -> CompiledModel {
        var m = Model(id: "direct", compartments: [Compartment(id: "cell", size: 2.5)],
                      species: [Species(id: "A", compartment: "cell", initialAmount: 3),
                                Species(id: "B", compartment: "cell", initialAmount: 0)],
                      parameters: [Parameter(id: "k", value: 0.7), Parameter(id: "total", value: 0, constant: false)],
                      reactions: [Reaction(id: "convert", reactants: [SpeciesReference(species: "A")],
                                           products: [SpeciesReference(species: "B")], kineticLaw: try parse("k*A*cell"))])
        if withRule { m.rules.append(.assignment(variable: "total", math: try parse("A + B"))) }
        return try CompiledModel(m, outputs: [.value("A"), .value("B"), .value("k")]
                                     + (withRule ? [.amount("A"), .value("total")] : []))
    }

    @Test func planMultipliesAmountsByTheReciprocalSizeAndCopiesTheRest() throws {
        let plain = try model(withRule: false)
        let plan = try #require(DirectOutput.plan(plain.outputs))
        // the compartment is constant: its reciprocal is an invariant register, so a concentration is one product
        #expect(plan.map(\.kind) == [.multiply, .multiply, .copy])
        // outputs that need two operations keep the interpreter
        #expect(DirectOutput.plan(try model(withRule: true).outputs) == nil)
    }

    @Test(arguments: [false, true])
    func batchedRowsEqualTheScalarPathBitForBit(withRule: Bool) throws {
        let model = try model(withRule: withRule)
        let template = SimulationProblem(model: model, outputTimes: SimulationProblem.grid(from: 0, to: 5, points: 41))
        let k = try #require(model.inputIndex(of: "k"))
        let configure: (Int, inout SimulationProblem) throws -> Void = { i, p in p.inputs[k] = 0.7 * (1 + 0.05 * Double(i)) }
        let shared = BatchedEnsembleTests()
        for method in [SolverMethod.auto, .rodas5p] {
            let options = SolverOptions(method: method)
            let expected = shared.scalarResults(template, count: 37, options: options, configure: configure)
            let results = Ensemble.run(template: template, count: 37, threads: 1, options: options,
                                       configure: configure, reduce: { _, r in r })
            for i in 0..<37 { shared.expectIdentical(results[i], expected[i], i) }
        }
    }
}
