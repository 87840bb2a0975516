import Sampling

/// Trigger states and scheduled executions of a model's events (SBML Level 3 semantics).
struct EventQueue {
    struct Execution {
        var time: Double
        var event: Int
        /// Assignment values computed at trigger time (useValuesFromTriggerTime), else nil.
        var values: [Double]?
        var sequence: Int
    }

    let meta: [CompiledModel.EventMeta]
    var previous: [Bool]
    var scheduled: [Execution] = []
    var sequence = 0
    /// Breaks ties between simultaneous events of equal priority.
    var random: RandomStream
    var count: Int { meta.count }

    init(model: CompiledModel, seed: UInt64) {
        meta = model.eventMeta
        previous = meta.map(\.initialValue)
        random = RandomStream(seed: seed, index: 0, purpose: "event ties")
    }

    /// Trigger values "just before" t0 are the events' `initialValue`s.
    mutating func resetTriggers() {
        previous = meta.map(\.initialValue)
        scheduled.removeAll(keepingCapacity: true)
    }

    func hasScheduled(_ e: Int) -> Bool { scheduled.contains { $0.event == e } }

    /// The earliest scheduled execution strictly after `t` (delayed events are exact stops).
    func nextPendingTime(after t: Double) -> Double {
        var best = Double.infinity
        for s in scheduled where s.time > t && s.time < best { best = s.time }
        return best
    }

    /// True when the trigger values in `current` differ from the previous ones in a way that matters:
    /// a rising edge, or a falling edge of a non-persistent event with executions pending.
    func relevantChange(_ current: UnsafePointer<Double>) -> Bool {
        for e in 0..<meta.count {
            let now = current[e] != 0
            if now && !previous[e] { return true }
            if !now && previous[e] && !meta[e].persistent && hasScheduled(e) { return true }
        }
        return false
    }
}

extension Integrator {
    /// If a trigger changes during the accepted step (from, to], returns the earliest time it does, found by
    /// bisection on the dense output to adjacent floating-point numbers (so `time >= 5` fires at exactly 5).
    /// A comparison inside a trigger changing sign is a stop too, even where the trigger as a whole does not
    /// change at the step's end (a window `a > 4.5 && a < 5.1` crossed within one step).
    /// Otherwise records the new trigger values and returns nil. Expects the step's start state in `y`.
    func locateEvent(_ events: inout EventQueue, from start: Double, to end: Double) -> Double? {
        let roots = rootProgram.resultCount
        if roots > 0 {
            loadState(start, y)
            rootProgram.run(registers)
            for k in 0..<roots { rootSigns[k] = sign(registers[Int(rootProgram.results[k])]) }
        }
        func changed(_ time: Double, _ state: UnsafePointer<Double>) -> Bool {
            loadState(time, state)
            triggerProgram.run(registers)
            readTriggers()
            if events.relevantChange(triggerValues) { return true }
            guard roots > 0 else { return false }
            rootProgram.run(registers)
            for k in 0..<roots where sign(registers[Int(rootProgram.results[k])]) != rootSigns[k] { return true }
            return false
        }
        guard changed(end, yNew) else {
            for e in 0..<events.count { events.previous[e] = triggerValues[e] != 0 }
            return nil
        }
        var lo = start, hi = end
        for _ in 0..<200 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            interpolate(mid, into: tmp)
            if changed(mid, tmp) { hi = mid } else { lo = mid }
        }
        return hi
    }

    @inline(__always)
    private func sign(_ v: Double) -> Double { v > 0 ? 2 : (v == 0 ? 1 : 0) }

    private func readTriggers() {
        for e in 0..<triggerProgram.resultCount { triggerValues[e] = registers[Int(triggerProgram.results[e])] }
    }

    private func assignmentValues(_ e: Int) -> [Double] {
        evaluate(model.eventAssignments[e], t, y)
        return model.eventAssignments[e].results.map { registers[Int($0)] }
    }

    /// Executes, at the current time, every event that triggers now or was scheduled for now, in priority
    /// order, re-evaluating triggers after each execution (so cascades and cancellations follow SBML L3).
    /// Returns false (and sets the run's status) if events keep triggering each other.
    func fireEvents(_ events: inout EventQueue, _ run: inout RunState) -> Bool {
        guard events.count > 0 else { return true }
        var executions = 0
        while true {
            loadState(t, y)
            triggerProgram.run(registers)
            readTriggers()
            var delays: [Double]?
            for e in 0..<events.count {
                let now = triggerValues[e] != 0
                if now && !events.previous[e] {
                    var delay = 0.0
                    if events.meta[e].hasDelay {
                        if delays == nil {
                            evaluate(model.delays, t, y)
                            delays = model.delays.results.map { registers[Int($0)] }
                        }
                        delay = max(0, delays![e])
                    }
                    let values = events.meta[e].useValuesFromTriggerTime ? assignmentValues(e) : nil
                    events.scheduled.append(.init(time: t + delay, event: e, values: values, sequence: events.sequence))
                    events.sequence += 1
                } else if !now && events.previous[e] && !events.meta[e].persistent {
                    events.scheduled.removeAll { $0.event == e }
                }
                events.previous[e] = now
            }
            let ready = events.scheduled.indices.filter { events.scheduled[$0].time <= t }
            guard !ready.isEmpty else { return true }
            evaluate(model.priorities, t, y)
            let priorities = model.priorities.results.map { registers[Int($0)] }
            // Highest priority first; events without priority after all others, in the order they triggered;
            // equal priorities in random order (SBML L3 §4.12.9), drawn from the run's seeded stream.
            func priority(_ k: Int) -> Double {
                let e = events.scheduled[k].event
                return events.meta[e].hasPriority ? priorities[e] : -Double.infinity
            }
            var chosen = ready[0]
            var ties = 1
            for k in ready.dropFirst() {
                let pa = priority(k), pb = priority(chosen)
                if pa > pb {
                    chosen = k
                    ties = 1
                } else if pa == pb && pa != -Double.infinity {
                    ties += 1
                    if events.random.next() % UInt64(ties) == 0 { chosen = k }
                } else if pa == pb && events.scheduled[k].sequence < events.scheduled[chosen].sequence {
                    chosen = k
                }
            }
            let execution = events.scheduled.remove(at: chosen)
            let values = execution.values ?? assignmentValues(execution.event)
            let targets = model.eventTargets[execution.event]
            let rescales = model.eventRescales[execution.event]
            let oldSizes = rescales.map { y[Int($0.compartment)] }
            for (k, i) in targets.enumerated() { y[Int(i)] = values[k] }
            for (k, r) in rescales.enumerated() { y[Int(r.species)] *= oldSizes[k] / y[Int(r.compartment)] }
            statistics.eventsExecuted += 1
            jacobianIsCurrent = false
            executions += 1
            if executions > 10_000 {
                run.status = .eventLoop(time: t)
                return false
            }
        }
    }
}
