import Foundation

/// The scale a parameter is estimated on (PEtab `parameterScale`): the optimisation scale value v maps to
/// the model value v (`lin`), eᵛ (`log`) or 10ᵛ (`log10`).
public enum EstimationScale: String, Sendable, Equatable, Codable, CaseIterable {
    case lin, log, log10

    /// The model (linear-scale) value of an optimisation-scale value.
    public func toLinear(_ value: Double) -> Double {
        switch self {
        case .lin: value
        case .log: Foundation.exp(value)
        case .log10: Foundation.pow(10, value)
        }
    }
}
