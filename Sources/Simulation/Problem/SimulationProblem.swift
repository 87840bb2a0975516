/// A model with inputs, output times and a dosing schedule: everything needed to run one simulation.
///
/// ```swift
/// let compiled = try CompiledModel(model)
/// var problem = SimulationProblem(model: compiled, outputTimes: stride(from: 0, through: 10, by: 0.1).map { $0 })
/// try problem.set("k1", to: 0.3)
/// let result = try problem.solve(SolverOptions(relativeTolerance: 1e-8))
/// ```
public struct SimulationProblem: Sendable {
    public let model: CompiledModel
    /// Values of `model.inputIds`.
    public var inputs: [Double]
    /// Non-decreasing times at which outputs are recorded; the last one is the end of the simulation.
    public var outputTimes: [Double]
    /// The initial time (initial values and t0 events are evaluated here).
    public var startTime: Double
    /// Doses, applied at exact stops in addition to the model's own events.
    public var doses: [Dose]

    public init(model: CompiledModel, outputTimes: [Double], startTime: Double = 0, doses: [Dose] = []) {
        self.model = model
        inputs = model.defaultInputs
        self.outputTimes = outputTimes
        self.startTime = startTime
        self.doses = doses
    }

    /// Evenly spaced output times: `points` values from `start` to `end` inclusive.
    public static func grid(from start: Double, to end: Double, points: Int) -> [Double] {
        guard points > 1 else { return [end] }
        return (0..<points).map { start + (end - start) * Double($0) / Double(points - 1) }
    }

    /// Sets input `id` (a parameter value, compartment size or species initial value as written in the model).
    /// - Throws: `SimulationError.unknownInput` naming the id.
    public mutating func set(_ id: String, to value: Double) throws {
        guard let k = model.inputIndex(of: id) else { throw SimulationError.unknownInput(id) }
        inputs[k] = value
    }

    /// The current value of input `id`.
    public func value(of id: String) throws -> Double {
        guard let k = model.inputIndex(of: id) else { throw SimulationError.unknownInput(id) }
        return inputs[k]
    }

    /// Checks times, inputs and dose targets.
    /// - Throws: `SimulationError.invalidRequest` naming the offending value, `.unknownInput` for a dose target.
    public func validate() throws {
        guard startTime.isFinite else { throw SimulationError.invalidRequest("start time must be finite") }
        guard inputs.count == model.inputIds.count else {
            throw SimulationError.invalidRequest("expected \(model.inputIds.count) inputs, got \(inputs.count)")
        }
        var previous = startTime
        for t in outputTimes {
            guard t.isFinite, t >= previous else {
                throw SimulationError.invalidRequest("output times must be finite, non-decreasing and not before the start time \(startTime); got \(t) after \(previous)")
            }
            previous = t
        }
        for d in doses {
            guard model.stateIndexById[d.target] != nil || model.constantIndexById[d.target] != nil else {
                throw SimulationError.unknownInput(d.target)
            }
            guard d.time.isFinite, d.amount.isFinite else {
                throw SimulationError.invalidRequest("dose of \(d.target): time and amount must be finite")
            }
            if case .infusion(let duration) = d.kind {
                guard duration > 0, duration.isFinite else {
                    throw SimulationError.invalidRequest("infusion of \(d.target): duration must be positive, got \(duration)")
                }
                guard model.stateIndexById[d.target] != nil else {
                    throw SimulationError.invalidRequest("infusion of \(d.target): only a dynamic variable can receive an infusion")
                }
            }
        }
    }

    /// Runs the simulation.
    /// - Throws: `SimulationError` for an invalid request (bad times, options or dose targets). Numerical
    ///   failure is not thrown: it is the result's `status`.
    public func solve(_ options: SolverOptions = .init()) throws -> SimulationResult {
        try validate()
        try options.validate(stateCount: model.stateCount)
        let integrator = Integrator(model: model)
        return integrator.run(self, options)
    }

    /// Runs the simulation with a caller-owned integrator (reused across many runs to avoid allocation).
    func solve(_ options: SolverOptions, using integrator: Integrator) -> SimulationResult {
        integrator.run(self, options)
    }
}
