import Foundation

/// Per-lane bookkeeping of `BatchIntegrator`: loading and moving lanes, doses, event checks, hand-overs to
/// the scalar path, and outputs.
extension BatchIntegrator {
    func load(_ l: Int, index: Int, problem: SimulationProblem, run: RunState, step: Double, end: Double) {
        mode[l] = .explicit
        indices[l] = index
        problems[l] = problem
        runs[l] = run
        laneRows[l].load(run)
        statistics[l] = scalar.statistics
        t[l] = scalar.t
        h[l] = step
        tEnd[l] = end
        tStop[l] = min(end, run.nextActionTime(after: scalar.t))
        previousLogError[l] = StepController().previousLogError
        steps[l] = 0
        stiffCount[l] = 0
        nonStiffCount[l] = 0
        watches[l] = SingularityWatch()
        for i in 0..<n {
            y[i * slots + l] = scalar.y[i]
            waitingState[i * slots + l] = scalar.y[i]  // no step yet: `move` gives a Rosenbrock lane this as its yNew
            k1[i * slots + l] = scalar.k1[i]
            absoluteTolerance[i * slots + l] = scalar.absoluteTolerance[i]
        }
        let mine = laneRegisters + l * registerCount
        mine.update(from: scalar.registers, count: registerCount)
        storeConstants(l)
    }

    /// Moves the waiting lane of explicit slot l to the empty Rosenbrock slot r.
    func move(_ l: Int, to r: Int) {
        mode[r] = .rosenbrock
        mode[l] = .empty
        indices[r] = indices[l]
        problems[r] = problems[l]
        runs[r] = runs[l]
        swap(&laneRows[r], &laneRows[l])
        statistics[r] = statistics[l]
        problems[l] = nil
        runs[l] = nil
        t[r] = t[l]; h[r] = h[l]; tEnd[r] = tEnd[l]; tStop[r] = tStop[l]; previousLogError[r] = previousLogError[l]
        steps[r] = steps[l]; stiffCount[r] = stiffCount[l]; nonStiffCount[r] = nonStiffCount[l]
        watches[r] = watches[l]
        for i in 0..<n {
            y[i * slots + r] = y[i * slots + l]
            yNew[i * slots + r] = waitingState[i * slots + l]  // the state before the last step, as in the scalar yNew
            absoluteTolerance[i * slots + r] = absoluteTolerance[i * slots + l]
        }
        (laneRegisters + r * registerCount).update(from: laneRegisters + l * registerCount, count: registerCount)
        storeConstants(r)
        for e in 0..<eventCount { triggers[r * eventCount + e] = triggers[l * eventCount + e] }
        stale[r - lanes] = true
    }

    /// Copies slot l's constants (registers after the time and the states) into its set's batched register file.
    func storeConstants(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        let (file, column) = l < lanes ? (registers, l) : (stiffRegisters, l - lanes)
        for r in (1 + n)..<registerCount { file[r * lanes + column] = mine[r] }
    }

    /// The failure of lane l's candidate `yNew` at `time`: the first component that is not finite or whose magnitude
    /// exceeds `blowUpThreshold` (the batched step's `largestState` / `stateMagnitudeSum` clear most lanes first).
    @inline(__always)
    func checkState(_ l: Int, at time: Double, blowUpThreshold: Double) -> SimulationStatus? {
        if stateMagnitudeSum[l].isFinite && largestState[l] <= blowUpThreshold { return nil }
        for i in 0..<n {
            let v = yNew[i * slots + l]
            if !v.isFinite { return .nonFinite(time: time, variable: model.stateIds[i]) }
            if abs(v) > blowUpThreshold { return .blowUp(time: time, variable: model.stateIds[i]) }
        }
        return nil
    }

    func nonFiniteVariable(_ state: UnsafePointer<Double>, _ l: Int) -> String? {
        for i in 0..<n where !state[i * slots + l].isFinite { return model.stateIds[i] }
        return nil
    }

    /// Lane l as it stood before its current step.
    func snapshot(_ l: Int) -> LaneSnapshot {
        laneRows[l].store(into: &runs[l]!)
        return LaneSnapshot(t: t[l], h: hStart[l], previousLogError: previousLogError[l], steps: steps[l] - 1,
                     stiffCount: stiffCount[l], nonStiffCount: nonStiffCount[l], watch: watches[l],
                     y: (0..<n).map { y[$0 * slots + l] }, k1: (0..<n).map { k1[$0 * slots + l] },
                     triggers: Array(UnsafeBufferPointer(start: triggers + l * eventCount, count: eventCount)),
                     constants: Array(UnsafeBufferPointer(start: laneRegisters + l * registerCount + 1 + n,
                                                          count: registerCount - 1 - n)),
                     run: runs[l]!, statistics: statistics[l])
    }

    /// Lane l after the step at which `auto` switched it to Rodas5P (f(t, y) in `k1`, the stop handled; `waitingState`
    /// holds the state before that step, which the scalar path then has in `yNew`).
    func stiffSnapshot(_ l: Int) -> LaneSnapshot {
        laneRows[l].store(into: &runs[l]!)
        return LaneSnapshot(t: t[l], h: h[l], previousLogError: previousLogError[l], steps: steps[l],
                     stiffCount: stiffCount[l], nonStiffCount: nonStiffCount[l], watch: watches[l],
                     y: (0..<n).map { y[$0 * slots + l] }, k1: (0..<n).map { k1[$0 * slots + l] },
                     useRodas: true, previousState: (0..<n).map { waitingState[$0 * slots + l] },
                     triggers: Array(UnsafeBufferPointer(start: triggers + l * eventCount, count: eventCount)),
                     constants: Array(UnsafeBufferPointer(start: laneRegisters + l * registerCount + 1 + n,
                                                          count: registerCount - 1 - n)),
                     run: runs[l]!, statistics: statistics[l])
    }

    /// Applies lane l's doses due at its current time, as `Integrator.applyDoses` does (boluses and sets).
    func applyDoses(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        var constantsChanged = false
        while runs[l]!.nextAction < runs[l]!.actions.count, runs[l]!.actions[runs[l]!.nextAction].time <= t[l] {
            let a = runs[l]!.actions[runs[l]!.nextAction]
            runs[l]!.nextAction += 1
            switch (a.target, a.kind) {
            case (.state(let i), .add): y[i * slots + l] += a.amount
            case (.state(let i), .set): y[i * slots + l] = a.amount
            case (.constant(let k), .add):
                mine[model.layout.parameterRegister(k)] += a.amount
                constantsChanged = true
            case (.constant(let k), .set):
                mine[model.layout.parameterRegister(k)] = a.amount
                constantsChanged = true
            case (_, .rateChange): preconditionFailure("infusions are not batched")
            }
        }
        if constantsChanged {
            invariantProgram.run(mine)
            storeConstants(l)
        }
    }

    /// k1 = f(t, y) of lane l, evaluated on its own register file (the same operations as the batched pass).
    func evaluateLaneRHS(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        mine[0] = t[l]
        for i in 0..<n { mine[1 + i] = y[i * slots + l] }
        rhsProgram.run(mine)
        for i in 0..<n { k1[i * slots + l] = mine[Int(rhsProgram.results[i])] + 0 }
    }

    /// Whether any event trigger of lane l has a different value at (time, state) than after the last step.
    func triggersChange(_ l: Int, at time: Double, state: UnsafeMutablePointer<Double>? = nil) -> Bool {
        let mine = laneRegisters + l * registerCount
        let state = state ?? yNew
        mine[0] = time
        for i in 0..<n { mine[1 + i] = state[i * slots + l] }
        triggerProgram.run(mine)
        for e in 0..<eventCount where (mine[Int(triggerProgram.results[e])] != 0) != triggers[l * eventCount + e] {
            return true
        }
        return false
    }

    // MARK: Outputs

    /// Evaluates the outputs of lane l at `time` from the lane's state stored in its scalar register file.
    @inline(__always)
    func record(_ l: Int, time: Double) {
        let mine = laneRegisters + l * registerCount
        mine[0] = time
        if let directOutputs {
            laneRows[l].record(directOutputs, mine)
        } else {
            outputProgram.run(mine)
            laneRows[l].record(outputProgram, mine)
        }
    }

    func emitCurrent(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        while laneRows[l].pendingTime <= t[l] {
            let time = laneRows[l].pendingTime
            for i in 0..<n { mine[1 + i] = y[i * slots + l] }
            record(l, time: time)
        }
    }

    /// Records lane l's output times up to `tNew`, the end of its accepted step, from the step's dense output (`tNew`
    /// itself only before the lane's next stop, which records it from the state). Most steps hold no output
    /// time: the check is inlined, the interpolation is not.
    @inline(__always)
    func emitOutputs(_ l: Int, upTo tNew: Double) {
        if laneRows[l].pendingTime <= tNew { emitInterpolated(l, before: tNew, includingEnd: tNew < tStop[l]) }
    }

    /// Records lane l's output times before `end` (and `end` itself when `includingEnd`) from its dense output.
    /// Optimised for size: a few states per output time, for which the speed build's vectorised and unrolled
    /// loops cost more in set-up than they save (callgrind, Reynolds: 243 → 214 instructions per output row).
    @_optimize(size)
    func emitInterpolated(_ l: Int, before end: Double, includingEnd: Bool) {
        let mine = laneRegisters + l * registerCount, n = self.n, stride = slots
        let d0 = dense0 + l, d1 = dense1 + l, d2 = dense2 + l, d3 = dense3 + l, d4 = dense4 + l
        let start = denseT[l], step = denseH[l], explicit = l < lanes
        while true {
            let time = laneRows[l].pendingTime
            guard time < end || (includingEnd && time == end) else { break }
            let theta = (time - start) / step
            let rest = 1 - theta
            var k = 0
            if explicit {
                for i in 0..<n {
                    mine[1 + i] = StepMethod.dormandPrinceValue(theta, rest, d0[k], d1[k], d2[k], d3[k], d4[k])
                    k += stride
                }
            } else {
                for i in 0..<n {
                    mine[1 + i] = StepMethod.rodas5pValue(theta, rest, d0[k], d1[k], d2[k], d3[k], d4[k])
                    k += stride
                }
            }
            record(l, time: time)
        }
    }
}
