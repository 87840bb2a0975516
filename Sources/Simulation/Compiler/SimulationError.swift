import ModelIR

/// Why a model or a request cannot be simulated. Numerical trouble during a run is not an error: it is
/// reported as the run's `SimulationStatus`.
public enum SimulationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `set` or a dose named an id that is not an input of the model.
    case unknownInput(String)
    /// An output request named an id the model does not have, or asked a non-species for an amount.
    case unknownOutput(String)
    /// The model uses a construct the simulator does not support.
    case unsupported(element: String, reason: String)
    /// The model is invalid (wraps the model's own errors).
    case invalidModel(String)
    /// A request (times, tolerances, doses) is invalid.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .unknownInput(let id): "unknown input '\(id)': not a parameter, compartment or species of the model"
        case .unknownOutput(let id): "unknown output '\(id)'"
        case .unsupported(let element, let reason): "unsupported: \(element): \(reason)"
        case .invalidModel(let text): text
        case .invalidRequest(let text): text
        }
    }
}
