import ArgumentParser
import Foundation
import ImmuneTwin

/// `twin fit PROBLEM.yaml --nominal`: the negative log-likelihood of a PEtab problem at its nominal parameters.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Calibrate a model to data described by a PEtab v1 problem.",
        discussion: """
            With --nominal, prints the negative log-likelihood at the parameter table's nominal values \
            (as the petab library's calculate_llh defines it, negated), and the priors' negative \
            log-density when the problem has objective priors.
            """)

    @Argument(help: "The PEtab problem YAML file.")
    var problem: String

    @Flag(help: "Evaluate the objective at the nominal parameters and print it.")
    var nominal = false

    @Option(help: "Relative tolerance of the simulations.")
    var rtol: Double = 1e-10

    @Option(help: "Absolute tolerance of the simulations (state units).")
    var atol: Double = 1e-14

    func validate() throws {
        guard nominal else { throw ValidationError("only --nominal is available so far (optimisation is not wired yet)") }
        guard rtol > 0, atol >= 0 else { throw ValidationError("--rtol must be positive and --atol non-negative") }
    }

    func run() throws {
        try reportingInputErrors {
            let petab = try PEtabReader.read(contentsOf: URL(fileURLWithPath: problem))
            let objective = try PEtabObjective(petab, options: SolverOptions(method: .auto, relativeTolerance: rtol,
                                                                            absoluteTolerance: atol, maxSteps: 1_000_000),
                                           computesGradient: false)
            let x = objective.nominalPoint
            let nll = objective.negativeLogLikelihood(at: x)
            guard nll.isFinite else {
                throw InputError("\(petab.name): the objective is not finite at the nominal parameters (a simulation failed)")
            }
            print("problem\t\(petab.name)")
            print("parameters\t\(objective.parameterCount)")
            print("measurements\t\(petab.measurements.count)")
            print("nll\t\(nll)")
            if petab.parameters.contains(where: { $0.prior != nil }) {
                print("prior_nll\t\(objective.priorNegativeLogDensity(at: x))")
            }
        }
    }
}
