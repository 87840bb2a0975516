import Foundation

/// A resolved dosing action at one stop time.
struct DoseAction {
    enum Target { case state(Int), constant(Int) }
    var time: Double
    var target: Target
    var amount: Double
    /// `add` for a bolus, `set` to assign, `rateChange` for an infusion's start (+rate) or end (−rate).
    var kind: Kind
    enum Kind { case add, set, rateChange(Double) }
}

extension Integrator {
    /// Runs `problem` from its start to its last output time, or, with `lane`, from where the batched path
    /// left it (see `BatchIntegrator`).
    func run(_ problem: SimulationProblem, _ options: SolverOptions, resuming lane: LaneSnapshot? = nil) -> SimulationResult {
        var run = RunState(problem: problem, options: options, outputs: model.outputNames.count)
        statistics = SolverStatistics()
        relativeTolerance = options.relativeTolerance
        for i in 0..<n { absoluteTolerance[i] = options.absoluteTolerances?[i] ?? options.absoluteTolerance }
        infusionRate.update(repeating: 0, count: max(n, 1))
        useRodas = options.method == .rodas4 || options.method == .rodas5p
        stiffMethod = options.method == .rodas4 ? .rodas4 : .rodas5p
        jacobianIsCurrent = false
        t = problem.startTime

        resetHistory()
        if let failure = initialize(problem) {
            run.status = failure
            return run.finish(statistics)
        }
        yNew.update(from: y, count: n)  // what a first step that fails reports on, not the last run's state
        recordStateInHistory()
        run.actions = resolveDoses(problem)
        var events = EventQueue(model: model, seed: options.eventSeed ?? 0)
        events.resetTriggers()

        if let lane {
            resume(lane, &run, &events)
        } else {
            applyDoses(&run, at: t)
            if !fireEvents(&events, &run) { return run.finish(statistics) }
            recordStateInHistory()
            emitCurrent(&run, upTo: t)
        }
        guard let tEnd = problem.outputTimes.last, tEnd > t else { return run.finish(statistics) }

        if lane == nil { evaluateRHS(t, y, k1) }
        var h = lane?.h ?? initialStep(tEnd - t, options)
        var controller = StepController()
        controller.previousLogError = lane?.previousLogError ?? controller.previousLogError
        var steps = lane?.steps ?? 0
        var stiffCount = lane?.stiffCount ?? 0, nonStiffCount = lane?.nonStiffCount ?? 0
        var watch = lane?.watch ?? SingularityWatch()
        let deadline = options.timeLimit.map { DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, $0) * 1e9) }

        while t < tEnd {
            let tStop = min(tEnd, run.nextActionTime(after: t), events.nextPendingTime(after: t),
                            nextDelayBreakpoint(after: t, start: problem.startTime), nextBreakpoint(after: t))
            clampStages(from: t, to: tStop)
            while t < tStop {
                if steps >= options.maxSteps {
                    run.status = .maxSteps(time: t)
                    return run.finish(statistics)
                }
                steps += 1
                if let deadline, steps & 63 == 0, DispatchTime.now().uptimeNanoseconds > deadline {
                    run.status = .timedOut(time: t)
                    return run.finish(statistics)
                }
                let hMin = 16 * max(abs(t), abs(tStop), 1e-300).ulp
                if let maxStep = options.maxStepSize { h = min(h, maxStep) }
                if delayCount > 0 { h = min(h, minimumLag) }
                if let fixed = options.fixedStepSize { h = fixed }
                var hitsStop = false
                if t + h >= tStop - hMin || t + 1.01 * h >= tStop {
                    h = tStop - t
                    hitsStop = true
                }
                let method = currentMethod
                let err: Double
                switch method {
                case .dormandPrince: err = dormandPrinceStep(h)
                case .rodas4: err = rodasStep(h)
                case .rodas5p: err = rodas5Step(h)
                }
                if !(err <= 1) && options.fixedStepSize == nil {
                    statistics.rejectedSteps += 1
                    h = controller.rejected(h, err, method)
                    if h < hMin {
                        run.status = nonFiniteVariable(yNew).map { .nonFinite(time: t, variable: $0) }
                            ?? .stepSizeUnderflow(time: t, stepSize: h)
                        return run.finish(statistics)
                    }
                    continue
                }
                statistics.acceptedSteps += 1
                var tNew = hitsStop ? tStop : t + h
                if useRodas {
                    dense0.update(from: y, count: n)
                    dense3.update(from: yNew, count: n)
                } else {
                    dormandPrinceDense(h)
                }
                denseForm = method
                denseT = t
                denseH = h
                if let failure = checkState(yNew, at: tNew, options) {
                    run.status = failure
                    return run.finish(statistics)
                }
                var eventFound = false
                if events.count > 0, let tEvent = locateEvent(&events, from: t, to: tNew) {
                    interpolate(tEvent, into: yNew)
                    tNew = tEvent
                    eventFound = true
                    watch.reset()
                } else {
                    let (largest, index) = SingularityWatch.largestMagnitude(yNew, count: n, stride: 1)
                    if watch.accepted(step: h, largest: largest, endingAt: tNew, stop: tStop) {
                        run.status = .blowUp(time: tNew, variable: model.stateIds[index])
                        return run.finish(statistics)
                    }
                }
                recordStepInHistory(from: t, to: tNew)
                emitInterpolated(&run, after: t, before: tNew, includingEnd: !eventFound && tNew < tStop)
                if !useRodas && options.method == .auto && !eventFound {
                    let (measure, damped) = dormandPrinceStiffness(h)
                    if StiffnessTest.accepted(measure: measure, damped: damped, step: h, remaining: tEnd - tNew,
                                              stiffCount: &stiffCount, nonStiffCount: &nonStiffCount) {
                        useRodas = true
                        jacobianIsCurrent = false
                        statistics.switchedToStiffAt = tNew
                    }
                }
                swap(&y, &yNew)
                t = tNew
                jacobianIsCurrent = false
                if eventFound {
                    if !fireEvents(&events, &run) { return run.finish(statistics) }
                    recordStateInHistory()
                    emitCurrent(&run, upTo: t)
                    evaluateRHS(t, y, k1)
                    break
                }
                if useRodas || denseForm != .dormandPrince {
                    evaluateRHS(t, y, k1)
                } else {
                    swap(&k1, &k7)
                }
                h = controller.accepted(h, err, currentMethod)  // Rosenbrock's controller from a switching step on
            }
            if t >= tStop {
                t = tStop
                applyDoses(&run, at: t)
                applySwitchingJumps(at: t)
                if !fireEvents(&events, &run) { return run.finish(statistics) }
                recordStateInHistory()
                emitCurrent(&run, upTo: t)
                clampStages(from: t, to: .infinity)  // the next step's first stage: after a switch at t
                evaluateRHS(t, y, k1)
            }
        }
        return run.finish(statistics)
    }

    /// Computes the initial state and the constants from the inputs; nil on success.
    func initialize(_ problem: SimulationProblem) -> SimulationStatus? {
        let inputCount = model.inputIds.count
        initRegisters[0] = problem.startTime
        problem.inputs.withUnsafeBufferPointer { (initRegisters + 1).update(from: $0.baseAddress!, count: inputCount) }
        model.initialization.run(initRegisters)
        let results = model.initialization.results
        for i in 0..<n {
            y[i] = initRegisters[Int(results[i])]
            if !y[i].isFinite { return .invalidInitialState(variable: model.stateIds[i]) }
        }
        for k in 0..<(results.count - n) {
            registers[model.layout.parameterRegister(k)] = initRegisters[Int(results[n + k])]
        }
        invariantProgram.run(registers)
        updateBreakpoints()
        (stageTimeMin, stageTimeMax) = (-Double.infinity, Double.infinity)
        return nil
    }

    func resolveDoses(_ problem: SimulationProblem) -> [DoseAction] {
        var actions: [DoseAction] = []
        for d in problem.doses {
            let target: DoseAction.Target
            if let i = model.stateIndexById[d.target] { target = .state(i) } else { target = .constant(model.constantIndexById[d.target]!) }
            switch d.kind {
            case .bolus: actions.append(DoseAction(time: d.time, target: target, amount: d.amount, kind: .add))
            case .set: actions.append(DoseAction(time: d.time, target: target, amount: d.amount, kind: .set))
            case .infusion(let duration):
                let rate = d.amount / duration
                actions.append(DoseAction(time: d.time, target: target, amount: 0, kind: .rateChange(rate)))
                actions.append(DoseAction(time: d.time + duration, target: target, amount: 0, kind: .rateChange(-rate)))
            }
        }
        return actions.sorted { $0.time < $1.time }
    }

    func applyDoses(_ run: inout RunState, at time: Double) {
        while run.nextAction < run.actions.count, run.actions[run.nextAction].time <= time {
            let a = run.actions[run.nextAction]
            run.nextAction += 1
            switch (a.target, a.kind) {
            case (.state(let i), .add): y[i] += a.amount
            case (.state(let i), .set): y[i] = a.amount
            case (.state(let i), .rateChange(let r)): infusionRate[i] += r
            case (.constant(let k), .add):
                registers[model.layout.parameterRegister(k)] += a.amount
                invariantProgram.run(registers)
                updateBreakpoints()
            case (.constant(let k), .set):
                registers[model.layout.parameterRegister(k)] = a.amount
                invariantProgram.run(registers)
                updateBreakpoints()
            case (.constant, .rateChange): break
            }
            jacobianIsCurrent = false
        }
    }

    private func checkState(_ state: UnsafePointer<Double>, at time: Double, _ options: SolverOptions) -> SimulationStatus? {
        for i in 0..<n {
            let v = state[i]
            if !v.isFinite { return .nonFinite(time: time, variable: model.stateIds[i]) }
            if abs(v) > options.blowUpThreshold { return .blowUp(time: time, variable: model.stateIds[i]) }
        }
        return nil
    }

    private func nonFiniteVariable(_ state: UnsafePointer<Double>) -> String? {
        for i in 0..<n where !state[i].isFinite { return model.stateIds[i] }
        return nil
    }

    /// Hairer's starting step: a forward-Euler probe makes the first step's local error about the tolerance.
    func initialStep(_ span: Double, _ options: SolverOptions) -> Double {
        guard n > 0 else { return span }
        var dnf = 0.0, dny = 0.0
        for i in 0..<n {
            let sk = absoluteTolerance[i] + relativeTolerance * abs(y[i])
            guard sk > 0 else { continue }
            dnf += (k1[i] / sk) * (k1[i] / sk)
            dny += (y[i] / sk) * (y[i] / sk)
        }
        var h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : (dny / dnf).squareRoot() * 0.01
        h = min(h, span, options.maxStepSize ?? span)
        for i in 0..<n { tmp[i] = y[i] + h * k1[i] }
        evaluateRHS(t + h, tmp, k2)
        var der2 = 0.0
        for i in 0..<n {
            let sk = absoluteTolerance[i] + relativeTolerance * abs(y[i])
            guard sk > 0 else { continue }
            let d = (k2[i] - k1[i]) / sk
            der2 += d * d
        }
        der2 = der2.squareRoot() / h
        let der12 = max(abs(der2), dnf.squareRoot())
        let order = useRodas && stiffMethod == .rodas4 ? 4.0 : 5.0
        let h1 = der12 <= 1e-15 ? max(1e-6, h * 1e-3) : pow(0.01 / der12, 1 / order)
        let result = min(100 * h, h1, span, options.maxStepSize ?? span)
        return result.isFinite && result > 0 ? result : span * 1e-6
    }

    // MARK: Outputs

    private func recordOutputs(_ run: inout RunState, time: Double, state: UnsafePointer<Double>) {
        loadState(time, state)
        outputProgram.run(registers)
        run.recordRow(outputProgram, registers)
    }

    /// Records every output time ≤ `time` at the current state (after doses and events at `time`).
    func emitCurrent(_ run: inout RunState, upTo time: Double) {
        while let next = run.pendingOutputTime, next <= time { recordOutputs(&run, time: next, state: y) }
    }

    /// Records output times in (start, end) (and `end` itself when `includingEnd`) from the dense output.
    private func emitInterpolated(_ run: inout RunState, after start: Double, before end: Double, includingEnd: Bool) {
        while let time = run.pendingOutputTime {
            guard time < end || (includingEnd && time == end) else { break }
            interpolate(time, into: tmp)
            recordOutputs(&run, time: time, state: tmp)
        }
    }
}

/// Per-run bookkeeping: where the outputs and doses stand and how the run ends.
struct RunState {
    let times: [Double]
    let columns: Int
    /// Output rows in time order (row r at `r * columns`); rows not reached stay NaN.
    private(set) var values: [Double]
    /// The first output row not recorded yet.
    private(set) var nextOutput = 0
    var actions: [DoseAction] = []
    var nextAction = 0
    var status: SimulationStatus = .success
    let names: [String]

    init(problem: SimulationProblem, options: SolverOptions, outputs: Int) {
        times = problem.outputTimes
        columns = outputs
        names = problem.model.outputNames
        values = [Double](repeating: .nan, count: times.count * outputs)
    }

    /// The first output time not recorded yet; nil when every row is.
    @inline(__always) var pendingOutputTime: Double? {
        nextOutput < times.count ? times[nextOutput] : nil
    }

    /// Stores `output`'s results, computed in `registers`, as the next row (one write access to the rows, not
    /// one append per value).
    @inline(__always)
    mutating func recordRow(_ output: RawProgram, _ registers: UnsafePointer<Double>) {
        let base = nextOutput * columns
        values.withUnsafeMutableBufferPointer { rows in
            for c in 0..<columns { rows[base + c] = registers[Int(output.results[c])] }
        }
        nextOutput += 1
    }

    /// Calls `body` with the rows (all of them: those not recorded yet are NaN).
    func withRows(_ body: (UnsafeBufferPointer<Double>) -> Void) {
        values.withUnsafeBufferPointer(body)
    }

    /// Replaces the recorded rows by the first `next` rows of `rows` (`LaneRows`); later rows stay NaN.
    mutating func restoreRows(_ rows: UnsafePointer<Double>, next: Int) {
        let count = next * columns
        values.withUnsafeMutableBufferPointer { if count > 0 { $0.baseAddress!.update(from: rows, count: count) } }
        nextOutput = next
    }

    func nextActionTime(after t: Double) -> Double {
        var k = nextAction
        while k < actions.count {
            if actions[k].time > t { return actions[k].time }
            k += 1
        }
        return .infinity
    }

    /// Packages the result (rows not reached are NaN).
    func finish(_ statistics: SolverStatistics) -> SimulationResult {
        SimulationResult(times: times, names: names, values: values, status: status, statistics: statistics)
    }
}

/// The method of a step: what the step controller and the continuous extension depend on. The raw value is
/// the method's code in the delay history (`Integrator+Delays`).
enum StepMethod: Int {
    case dormandPrince = 1, rodas4 = 2, rodas5p = 3

    /// Dormand–Prince's quartic continuous extension at θ (`rest` = 1 − θ) from its coefficients d0 … d4.
    @inline(__always)
    static func dormandPrinceValue(_ theta: Double, _ rest: Double, _ d0: Double, _ d1: Double, _ d2: Double,
                                   _ d3: Double, _ d4: Double) -> Double {
        d0 + theta * (d1 + rest * (d2 + theta * (d3 + rest * d4)))
    }

    /// RODAS4's cubic continuous extension: y0 = d0, y1 = d3, terms d1, d2. Written y0 + θ (y1 − y0 + …) rather
    /// than (1 − θ) y0 + θ y1 + …, so a component that does not change over the step (a parameter that only events
    /// assign) is returned exactly: the other form rounds it by up to an ulp at every interpolation, and a persistent
    /// trigger such as `abs(Q − R) > maxdiff` then fires again after its own assignment (SBML cases 00962, 01589).
    @inline(__always)
    static func rodas4Value(_ theta: Double, _ rest: Double, _ d0: Double, _ d1: Double, _ d2: Double,
                            _ d3: Double) -> Double {
        d0 + theta * ((d3 - d0) + rest * (d1 + theta * d2))
    }

    /// Rodas5P's quartic continuous extension: y0 = d0, y1 = d3, terms d1, d2, d4 (written as `rodas4Value`).
    @inline(__always)
    static func rodas5pValue(_ theta: Double, _ rest: Double, _ d0: Double, _ d1: Double, _ d2: Double,
                             _ d3: Double, _ d4: Double) -> Double {
        d0 + theta * ((d3 - d0) + rest * (d1 + theta * (d2 + theta * d4)))
    }
}
