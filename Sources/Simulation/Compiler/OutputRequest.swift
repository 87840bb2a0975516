/// A quantity a simulation reports at each output time.
public struct OutputRequest: Hashable, Sendable, CustomStringConvertible {
    public enum Quantity: Hashable, Sendable {
        /// The symbol's own value: a species' concentration (or amount with hasOnlySubstanceUnits), a
        /// compartment's size, a parameter's value, a reaction's rate.
        case value
        /// A species' amount (concentration × compartment size where needed).
        case amount
        /// A species' concentration (amount / compartment size where needed).
        case concentration
    }

    public var id: String
    public var quantity: Quantity

    public init(id: String, quantity: Quantity = .value) {
        self.id = id
        self.quantity = quantity
    }

    public static func value(_ id: String) -> OutputRequest { .init(id: id, quantity: .value) }
    public static func amount(_ speciesId: String) -> OutputRequest { .init(id: speciesId, quantity: .amount) }
    public static func concentration(_ speciesId: String) -> OutputRequest { .init(id: speciesId, quantity: .concentration) }

    public var description: String { id }
}
