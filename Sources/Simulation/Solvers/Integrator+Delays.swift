/// `delay(x, tau)`: the value of x at time − tau, read from the history of the run.
///
/// The history is the continuous extension of every accepted step (Dormand–Prince's quartic, RODAS4's
/// cubic or Rodas5P's quartic), plus a constant piece for the state after each stop (start, events, doses).
/// Records are `[start, end, h, kind, dense0 ... dense4]` with kind 0 = constant, 1 = Dormand–Prince,
/// 2 = RODAS4, 3 = Rodas5P;
/// a time before the start reads the initial values evaluated at that time (constant unless they use `time`).
/// Steps are kept no longer than the smallest positive lag, so every stage reads accepted history (the
/// method of steps); a state-dependent lag that shrinks within a step reads the last piece extrapolated.
extension Integrator {
    var historyRecordSize: Int { 4 + 5 * n }

    func resetHistory() {
        history.removeAll(keepingCapacity: true)
        historyStarts.removeAll(keepingCapacity: true)
        minimumLag = .infinity
    }

    /// Appends the current state `y` at `t` as a constant piece (after a discontinuity).
    func recordStateInHistory() {
        guard delayCount > 0 else { return }
        history.append(t); history.append(t); history.append(0); history.append(0)
        for i in 0..<n { history.append(y[i]) }
        history.append(contentsOf: repeatElement(0, count: 4 * n))
        historyStarts.append(t)
    }

    /// Appends the accepted step's continuous extension, valid on [start, end].
    func recordStepInHistory(from start: Double, to end: Double) {
        guard delayCount > 0 else { return }
        history.append(start); history.append(end); history.append(denseH); history.append(Double(denseForm.rawValue))
        for i in 0..<n { history.append(dense0[i]) }
        for i in 0..<n { history.append(dense1[i]) }
        for i in 0..<n { history.append(dense2[i]) }
        for i in 0..<n { history.append(dense3[i]) }
        for i in 0..<n { history.append(dense4[i]) }
        historyStarts.append(start)
    }

    /// The state at `time` from the history (the first piece for times before it).
    private func pastState(_ time: Double, into out: UnsafeMutablePointer<Double>) {
        var lo = 0, hi = historyStarts.count - 1
        if time <= historyStarts[0] {
            hi = 0
        } else {
            while lo < hi {  // last record whose start is <= time
                let mid = (lo + hi + 1) / 2
                if historyStarts[mid] <= time { lo = mid } else { hi = mid - 1 }
            }
        }
        history.withUnsafeBufferPointer { buffer in
            let r = buffer.baseAddress! + hi * historyRecordSize
            let start = r[0], h = r[2], kind = r[3]
            let d0 = r + 4, d1 = d0 + n, d2 = d1 + n, d3 = d2 + n, d4 = d3 + n
            if kind == 0 || h == 0 {
                for i in 0..<n { out[i] = d0[i] }
                return
            }
            let theta = max(0, (time - start) / h), rest = 1 - theta
            switch StepMethod(rawValue: Int(kind)) ?? .dormandPrince {
            case .rodas5p:
                for i in 0..<n { out[i] = StepMethod.rodas5pValue(theta, rest, d0[i], d1[i], d2[i], d3[i], d4[i]) }
            case .rodas4:
                for i in 0..<n { out[i] = StepMethod.rodas4Value(theta, rest, d0[i], d1[i], d2[i], d3[i]) }
            case .dormandPrince:
                for i in 0..<n { out[i] = StepMethod.dormandPrinceValue(theta, rest, d0[i], d1[i], d2[i], d3[i], d4[i]) }
            }
        }
    }

    /// The next time after `t` of the form start + m·lag (m = 1...6, the lags at the last evaluation): the
    /// history's kink at the start propagates there, so steps end on these points as DDE solvers do.
    func nextDelayBreakpoint(after t: Double, start: Double) -> Double {
        guard delayCount > 0 else { return .infinity }
        var best = Double.infinity
        for k in 0..<delayCount {
            let lag = delayLagValues[k]
            guard lag > 0, lag.isFinite else { continue }
            let m = ((t - start) / lag).rounded(.down) + 1
            guard m <= 6 else { continue }
            var point = start + m * lag
            if point <= t { point = start + (m + 1) * lag }
            if m <= 6 && point < best { best = point }
        }
        return best
    }

    /// The state the initial values give at `time` before the start (they may depend on time); the
    /// constant slots are set to theirs too, after saving them in `savedConstants` (`restoreConstants`).
    private func initialValues(at time: Double, into out: UnsafeMutablePointer<Double>) {
        initRegisters[0] = time
        model.initialization.run(initRegisters)
        let results = model.initialization.results
        for i in 0..<n { out[i] = initRegisters[Int(results[i])] }
        for k in 0..<(results.count - n) {
            let r = model.layout.parameterRegister(k)
            savedConstants[k] = registers[r]
            registers[r] = initRegisters[Int(results[n + k])]
        }
    }

    private func restoreConstants() {
        for k in 0..<(model.initialization.results.count - n) { registers[model.layout.parameterRegister(k)] = savedConstants[k] }
    }

    /// Fills the delayed-value slots for an evaluation at (t, state); expects `registers` loaded with them.
    func fillDelays(_ t: Double, _ state: UnsafePointer<Double>) {
        delayLagProgram.run(registers)
        var smallest = Double.infinity
        for k in 0..<delayCount {
            let lag = registers[Int(delayLagProgram.results[k])]
            delayLagValues[k] = lag
            if lag > 0 && lag < smallest { smallest = lag }
        }
        minimumLag = smallest
        let firstTime = historyStarts.first ?? t
        for k in 0..<delayCount {
            let past = t - delayLagValues[k]
            if history.isEmpty {
                delayState.update(from: state, count: n)
            } else if past < firstTime {
                initialValues(at: past, into: delayState)
            } else {
                pastState(past, into: delayState)
            }
            registers[0] = past
            (registers + 1).update(from: delayState, count: n)
            delayArgumentProgram.run(registers)
            delayValues[k] = registers[Int(delayArgumentProgram.results[k])]
            if past < firstTime && !history.isEmpty { restoreConstants() }
        }
        registers[0] = t
        (registers + 1).update(from: state, count: n)
        let firstSlot = model.layout.parameterCount - delayCount
        for k in 0..<delayCount { registers[model.layout.parameterRegister(firstSlot + k)] = delayValues[k] }
    }
}
