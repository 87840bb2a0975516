import Foundation

extension PEtabObjective {
    /// The objective and its gradient (placeholder until forward sensitivities land).
    func valueAndSensitivityGradient(at x: [Double]) throws -> (Double, [Double]) {
        throw PEtabObjectiveError.unsupported(feature: "gradient", context: problem.name)
    }
}
