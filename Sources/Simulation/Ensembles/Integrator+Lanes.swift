import Foundation

/// Where a batched lane stands at the start of a step: what the scalar path needs to continue it exactly
/// as if it had run the simulation from the start (no infusions, no pending event executions; the doses
/// applied so far are in `run` and `constants`). With `useRodas` the lane has switched to Rodas5P (`auto`)
/// and `previousState` is what the scalar path holds in `yNew` there (the state before the last step).
struct LaneSnapshot {
    var t, h, previousLogError: Double
    var steps, stiffCount, nonStiffCount: Int
    var watch: SingularityWatch
    var y, k1: [Double]
    var useRodas = false
    var previousState: [Double]? = nil
    var triggers: [Bool]
    /// Registers after the time and the states (constants as changed by doses, and the invariant work).
    var constants: [Double]
    var run: RunState
    var statistics: SolverStatistics
}

extension Integrator {
    /// Restores a lane's state after `initialize` (which set the constants).
    func resume(_ lane: LaneSnapshot, _ run: inout RunState, _ events: inout EventQueue) {
        t = lane.t
        for i in 0..<n {
            y[i] = lane.y[i]
            k1[i] = lane.k1[i]
        }
        if let previous = lane.previousState { for i in 0..<n { yNew[i] = previous[i] } }
        useRodas = lane.useRodas
        jacobianIsCurrent = false
        events.previous = lane.triggers
        lane.constants.withUnsafeBufferPointer { (registers + 1 + n).update(from: $0.baseAddress!, count: $0.count) }
        run = lane.run
        statistics = lane.statistics
    }

    /// How a batched lane starts: already finished (invalid initial state, or nothing to integrate), for the
    /// scalar path (an event fired or was scheduled at the start), or ready with the outputs at the start
    /// recorded, f(t0, y0) in `k1`, the state in `y`, the first step size and the event triggers' values.
    enum LaneStart {
        case finished(SimulationResult)
        case scalar
        case ready(RunState, step: Double, end: Double, triggers: [Bool])
    }

    /// The prologue of `run` for a problem without infusions (see `BatchIntegrator`).
    func startLane(_ problem: SimulationProblem, _ options: SolverOptions) -> LaneStart {
        var run = RunState(problem: problem, options: options, outputs: model.outputNames.count)
        statistics = SolverStatistics()
        relativeTolerance = options.relativeTolerance
        for i in 0..<n { absoluteTolerance[i] = options.absoluteTolerances?[i] ?? options.absoluteTolerance }
        infusionRate.update(repeating: 0, count: max(n, 1))
        useRodas = false
        jacobianIsCurrent = false
        t = problem.startTime
        if let failure = initialize(problem) {
            run.status = failure
            return .finished(run.finish(statistics))
        }
        run.actions = resolveDoses(problem)
        // The batched lanes do not stop at switching times: a run with one in its span (or whose doses may move
        // them) goes to the scalar path.
        if let end = problem.outputTimes.last, !breakpointTimes.isEmpty,
           breakpointTimes.contains(where: { $0 >= t && $0 < end })
            || run.actions.contains(where: { if case .constant = $0.target { true } else { false } }) {
            return .scalar
        }
        var events = EventQueue(model: model, seed: options.eventSeed ?? 0)
        events.resetTriggers()
        applyDoses(&run, at: t)
        if !fireEvents(&events, &run) { return .finished(run.finish(statistics)) }
        if statistics.eventsExecuted > 0 || !events.scheduled.isEmpty { return .scalar }
        emitCurrent(&run, upTo: t)
        guard let end = problem.outputTimes.last, end > t else { return .finished(run.finish(statistics)) }
        evaluateRHS(t, y, k1)
        return .ready(run, step: initialStep(end - t, options), end: end, triggers: events.previous)
    }
}

extension Dose {
    /// Whether the dose is applied at one instant (a bolus or a set), which the batched path handles.
    var isStop: Bool {
        if case .infusion = kind { return false }
        return true
    }
}
