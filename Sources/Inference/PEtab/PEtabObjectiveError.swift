/// Why a PEtab problem cannot be turned into an objective. Each case names the element at fault.
public enum PEtabObjectiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A formula refers to an id that is neither a model entity, a parameter-table parameter nor a placeholder.
    case unknownSymbol(id: String, context: String)
    /// A condition column or override names something that is not a model parameter, compartment or species.
    case unknownTarget(id: String, context: String)
    /// A feature the objective does not implement yet.
    case unsupported(feature: String, context: String)
    /// A placeholder (`observableParameter2_obs`) has no value in a measurement row.
    case missingOverride(placeholder: String, context: String)

    public var description: String {
        switch self {
        case .unknownSymbol(let id, let context): "\(context): unknown symbol '\(id)'"
        case .unknownTarget(let id, let context): "\(context): '\(id)' is not a model parameter, compartment or species"
        case .unsupported(let feature, let context): "\(context): not supported: \(feature)"
        case .missingOverride(let placeholder, let context): "\(context): no value given for placeholder '\(placeholder)'"
        }
    }
}
