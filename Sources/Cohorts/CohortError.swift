/// Why a population specification cannot be used. Each case names the offending element.
public enum CohortError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A distribution's parameters are impossible (the message names the value).
    case invalidDistribution(String)
    /// The correlation matrix is not a valid correlation matrix (not symmetric, entries outside [−1, 1],
    /// or not positive definite).
    case invalidCorrelation(String)
    /// A symbol in a covariate expression or rule is neither a covariate nor a parameter.
    case unknownSymbol(id: String, usedIn: String)
    /// A parameter named by the population is not an input of the model.
    case unknownParameter(String)
    /// An expression uses a construct that population formulas do not support.
    case unsupportedExpression(String)
    /// A selection target or option is impossible.
    case invalidSelection(String)

    public var description: String {
        switch self {
        case .invalidDistribution(let m): "invalid distribution: \(m)"
        case .invalidCorrelation(let m): "invalid correlations: \(m)"
        case .unknownSymbol(let id, let usedIn): "unknown symbol '\(id)' in \(usedIn): not a covariate or parameter"
        case .unknownParameter(let id): "'\(id)' is not a parameter, compartment or species of the model"
        case .unsupportedExpression(let m): "unsupported in a population formula: \(m)"
        case .invalidSelection(let m): "invalid selection: \(m)"
        }
    }
}
