/// A dose given outside the model: the schedule is handled by the integrator as exact stops, so results do not
/// depend on the output grid.
public struct Dose: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        /// `amount` is added to the target at `time` (species: substance units; other targets: their units).
        case bolus
        /// `amount` is spread evenly over `duration` (model time units), starting at `time`.
        case infusion(duration: Double)
        /// The target is set to `amount` at `time` (for treatment inputs switched on or off).
        case set
    }

    /// A species, or a parameter/compartment that is a state or a constant of the compiled model.
    public var target: String
    /// Model time at which the dose starts.
    public var time: Double
    /// Amount (bolus, infusion total) or value (`set`).
    public var amount: Double
    public var kind: Kind

    public init(target: String, time: Double, amount: Double, kind: Kind = .bolus) {
        self.target = target
        self.time = time
        self.amount = amount
        self.kind = kind
    }

    /// Repeated boluses: `count` doses every `interval` starting at `start`.
    public static func repeated(target: String, amount: Double, start: Double, interval: Double, count: Int) -> [Dose] {
        (0..<max(0, count)).map { Dose(target: target, time: start + Double($0) * interval, amount: amount) }
    }
}
