import Foundation

/// Lock-step Dormand–Prince 5(4) for many simulations of one model at once (the ensemble's batched path).
///
/// Up to `lanes` simulations advance together: each step evaluates the right-hand side of every lane in one
/// structure-of-arrays pass of the register program (`Program.runBatch`), so the interpreter's dispatch is
/// paid once per batch and the arithmetic runs over contiguous lanes. Control flow is per lane: each lane
/// has its own time, step size, PI controller, error test, stiffness counters, output cursor and status,
/// and the arithmetic of a lane never reads another lane. Every lane therefore computes exactly (bit for
/// bit) what the scalar `Integrator` computes with `dopri5`, or with `auto` until it detects stiffness.
/// A lane that `auto` switches to the stiff method continues on the scalar path with RODAS4 from the step
/// where it switched (`LaneSnapshot`), exactly as the scalar run of the whole simulation would. A lane in which an event trigger changes value during a step
/// is handed to the scalar path as it stood before that step (`LaneSnapshot`), and the scalar path repeats
/// the step, locates and executes the event and finishes the run; a lane where an event fires at the start
/// is run on the scalar path from the start. Boluses and set doses are exact stops of the lane, applied as
/// the scalar path applies them; problems with infusions, fixed steps or `rodas4` go to the scalar path. When a lane finishes, the
/// next simulation takes its place, so lanes stay busy until the range runs out.
///
/// Not thread-safe: each worker thread uses its own instance. Buffers are allocated once per instance.
final class BatchIntegrator {
    let model: CompiledModel
    /// The scalar integrator used for each lane's start (initial values, first step size) and for fallbacks.
    let scalar: Integrator
    let lanes: Int
    let n: Int
    let registerCount: Int
    private let storage: UnsafeMutablePointer<Double>
    /// Structure-of-arrays register file: register r of lane l at `registers[r * lanes + l]`.
    private let registers: UnsafeMutablePointer<Double>
    /// Lane-major scalar register files (lane l at `laneRegisters + l * registerCount`) for outputs.
    private let laneRegisters: UnsafeMutablePointer<Double>
    // state-major vectors: component i of lane l at `v[i * lanes + l]`
    private var y, yNew, tmp, k1, k2, k3, k4, k5, k6, k7, stiffProbe, absoluteTolerance: UnsafeMutablePointer<Double>
    private let dense0, dense1, dense2, dense3, dense4: UnsafeMutablePointer<Double>
    // per lane
    private let t, h, hStart, tEnd, tStop, hMin, error, previousError, denseT, denseH: UnsafeMutablePointer<Double>
    private let hitsStop: UnsafeMutablePointer<Bool>
    private var steps: [Int], stiffCount: [Int], nonStiffCount: [Int]
    private var runs: [RunState?]
    private var statistics: [SolverStatistics]
    private var problems: [SimulationProblem?]
    private var indices: [Int]
    private let rhs: Program
    private let rhsResults: UnsafeMutablePointer<Int32>
    private let outputProgram: RawProgram
    private let rhsProgram: RawProgram
    private let invariantProgram: RawProgram
    private let triggerProgram: RawProgram
    private let eventCount: Int
    /// Trigger values after each lane's last accepted step (lane l, event e at `l * eventCount + e`).
    private var triggers: [Bool]

    /// Whether `Ensemble` may use the batched path for problems of `model` solved with `options`
    /// (individual problems with doses still go to the scalar path).
    static func covers(_ model: CompiledModel, _ options: SolverOptions) -> Bool {
        // delay() needs the per-run step history and trigger roots need per-step sign checks (narrow trigger
        // windows): both stay on the scalar path, as do runs with a time limit
        model.stateCount > 0 && options.fixedStepSize == nil && model.delayCount == 0 && options.timeLimit == nil
            && model.triggerRoots.code.isEmpty
            && (options.method == .auto || options.method == .dopri5)
    }

    init(model: CompiledModel, lanes: Int) {
        self.model = model
        scalar = Integrator(model: model)
        self.lanes = lanes
        n = model.stateCount
        registerCount = model.layout.registerCount
        let vectors = 17, perLane = 10
        let count = 2 * registerCount * lanes + vectors * n * lanes + perLane * lanes
        storage = .allocate(capacity: count)
        storage.initialize(repeating: 0, count: count)
        var cursor = storage
        func take(_ k: Int) -> UnsafeMutablePointer<Double> {
            defer { cursor += k }
            return cursor
        }
        registers = take(registerCount * lanes)
        laneRegisters = take(registerCount * lanes)
        let m = n * lanes
        y = take(m); yNew = take(m); tmp = take(m); k1 = take(m); k2 = take(m); k3 = take(m); k4 = take(m)
        k5 = take(m); k6 = take(m); k7 = take(m); stiffProbe = take(m); absoluteTolerance = take(m)
        dense0 = take(m); dense1 = take(m); dense2 = take(m); dense3 = take(m); dense4 = take(m)
        t = take(lanes); h = take(lanes); hStart = take(lanes); tEnd = take(lanes); tStop = take(lanes); hMin = take(lanes); error = take(lanes)
        previousError = take(lanes); denseT = take(lanes); denseH = take(lanes)
        precondition(cursor == storage + count, "batch workspace accounting")
        hitsStop = .allocate(capacity: lanes)
        hitsStop.initialize(repeating: false, count: lanes)
        steps = Array(repeating: 0, count: lanes)
        stiffCount = steps
        nonStiffCount = steps
        runs = Array(repeating: nil, count: lanes)
        statistics = Array(repeating: SolverStatistics(), count: lanes)
        problems = Array(repeating: nil, count: lanes)
        indices = Array(repeating: -1, count: lanes)
        rhs = model.rhs
        let results = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        model.rhs.results.withUnsafeBufferPointer { results.initialize(from: $0.baseAddress!, count: $0.count) }
        rhsResults = results
        outputProgram = RawProgram(model.outputs)
        rhsProgram = RawProgram(model.rhs)
        invariantProgram = RawProgram(model.invariants)
        triggerProgram = RawProgram(model.triggers)
        eventCount = model.eventIds.count
        triggers = Array(repeating: false, count: lanes * model.eventIds.count)
        for r in 0..<model.layout.registerCount {
            let v = model.layout.template[r]
            for l in 0..<lanes { registers[r * lanes + l] = v }
        }
    }

    deinit {
        storage.deallocate()
        hitsStop.deallocate()
        rhsResults.deallocate()
        outputProgram.deallocate()
        rhsProgram.deallocate()
        invariantProgram.deallocate()
        triggerProgram.deallocate()
    }

    /// Solves the simulations `range`: `problem(i)` builds simulation i's problem (or throws, which
    /// `deliver` receives as a failed result from `failure`), `deliver(i, result)` takes each result.
    /// Results arrive out of index order; each is identical to the scalar path's.
    func run(_ range: Range<Int>, options: SolverOptions, problem: (Int) throws -> SimulationProblem,
             failure: (Error) -> SimulationResult, deliver: (Int, SimulationResult) -> Void) {
        var next = range.lowerBound
        var previousState: [Double] = []
        /// Puts the next batchable simulation into lane l; false when the range is exhausted.
        func refill(_ l: Int) -> Bool {
            while next < range.upperBound {
                let i = next
                next += 1
                let p: SimulationProblem
                do { p = try problem(i) } catch {
                    deliver(i, failure(error))
                    continue
                }
                guard p.doses.allSatisfy(\.isStop) else {
                    deliver(i, scalar.run(p, options))
                    continue
                }
                switch scalar.startLane(p, options) {
                case .finished(let result):
                    deliver(i, result)
                case .scalar:
                    deliver(i, scalar.run(p, options))
                case .ready(let run, let step, let end, let eventTriggers):
                    load(l, index: i, problem: p, run: run, step: step, end: end)
                    for e in 0..<eventCount { triggers[l * eventCount + e] = eventTriggers[e] }
                    return true
                }
            }
            indices[l] = -1
            h[l] = 0
            return false
        }
        func finish(_ l: Int, _ status: SimulationStatus) {
            runs[l]!.status = status
            deliver(indices[l], runs[l]!.finish(statistics[l]))
        }

        var active = 0
        for l in 0..<lanes where refill(l) { active += 1 }
        let maxSteps = options.maxSteps
        let auto = options.method == .auto
        var controller = StepController()
        while active > 0 {
            // 1. step sizes (a lane that finishes here is refilled and prepared in the same pass)
            for l in 0..<lanes where indices[l] >= 0 {
                while true {
                    if steps[l] >= maxSteps {
                        finish(l, .maxSteps(time: t[l]))
                        if refill(l) { continue }
                        active -= 1
                        break
                    }
                    steps[l] += 1
                    hStart[l] = h[l]
                    hMin[l] = 16 * max(abs(t[l]), abs(tStop[l]), 1e-300).ulp
                    if let maxStep = options.maxStepSize { h[l] = min(h[l], maxStep) }
                    hitsStop[l] = false
                    if t[l] + h[l] >= tStop[l] - hMin[l] || t[l] + 1.01 * h[l] >= tStop[l] {
                        h[l] = tStop[l] - t[l]
                        hitsStop[l] = true
                    }
                    break
                }
            }
            if active == 0 { break }
            // 2. one Dormand–Prince step in every lane
            step()
            // 3. per-lane acceptance, outputs, stiffness test
            for l in 0..<lanes where indices[l] >= 0 {
                statistics[l].rhsEvaluations += 6
                let err = error[l]
                if !(err <= 1) {
                    statistics[l].rejectedSteps += 1
                    h[l] = controller.rejected(h[l], err, false)
                    if h[l] < hMin[l] {
                        finish(l, nonFiniteVariable(yNew, l).map { .nonFinite(time: t[l], variable: $0) }
                            ?? .stepSizeUnderflow(time: t[l], stepSize: h[l]))
                        if !refill(l) { active -= 1 }
                    }
                    continue
                }
                statistics[l].acceptedSteps += 1
                let tNew = hitsStop[l] ? tStop[l] : t[l] + h[l]
                storeDense(l)
                if let failure = checkState(l, at: tNew, options) {
                    finish(l, failure)
                    if !refill(l) { active -= 1 }
                    continue
                }
                if eventCount > 0 && triggersChange(l, at: tNew) {
                    // the scalar path repeats this step from the lane's state, locates and executes the event
                    statistics[l].rhsEvaluations -= 6
                    statistics[l].acceptedSteps -= 1
                    deliver(indices[l], scalar.run(problems[l]!, options, resuming: snapshot(l)))
                    if !refill(l) { active -= 1 }
                    continue
                }
                emitInterpolated(l, after: t[l], before: tNew, includingEnd: tNew < tStop[l])
                var switches = false
                if auto {
                    if stiffness(l) > 3.25 {
                        nonStiffCount[l] = 0
                        stiffCount[l] += 1
                        // the scalar path switches to RODAS4 after this step; the lane continues there
                        switches = stiffCount[l] >= 15
                    } else {
                        nonStiffCount[l] += 1
                        if nonStiffCount[l] >= 6 { stiffCount[l] = 0 }
                    }
                }
                if switches { previousState = (0..<n).map { y[$0 * lanes + l] } }
                for i in 0..<n {
                    y[i * lanes + l] = yNew[i * lanes + l]
                    k1[i * lanes + l] = k7[i * lanes + l]
                }
                t[l] = tNew
                controller.previousError = previousError[l]
                h[l] = controller.accepted(h[l], err, switches)
                previousError[l] = controller.previousError
                if switches {
                    // as on the scalar path: f(t, y) again after the step (RODAS4's k1), then the stop if due
                    statistics[l].switchedToStiffAt = tNew
                    statistics[l].rhsEvaluations += 1
                    if t[l] < tStop[l] { evaluateLaneRHS(l) }
                }
                if t[l] >= tStop[l] {
                    // a stop: doses due now, then the outputs at this time, then f(t, y) (as on the scalar path)
                    t[l] = tStop[l]
                    applyDoses(l)
                    if eventCount > 0 && triggersChange(l, at: t[l], state: y) {
                        deliver(indices[l], scalar.run(problems[l]!, options))  // a dose made an event fire
                        if !refill(l) { active -= 1 }
                        continue
                    }
                    emitCurrent(l)
                    statistics[l].rhsEvaluations += 1
                    if t[l] >= tEnd[l] {
                        finish(l, .success)
                        if !refill(l) { active -= 1 }
                        continue
                    }
                    evaluateLaneRHS(l)
                    tStop[l] = min(tEnd[l], runs[l]!.nextActionTime(after: t[l]))
                }
                if switches {
                    deliver(indices[l], scalar.run(problems[l]!, options, resuming: stiffSnapshot(l, previousState)))
                    if !refill(l) { active -= 1 }
                }
            }
        }
    }

    // MARK: Lanes

    private func load(_ l: Int, index: Int, problem: SimulationProblem, run: RunState, step: Double, end: Double) {
        indices[l] = index
        problems[l] = problem
        runs[l] = run
        statistics[l] = scalar.statistics
        t[l] = scalar.t
        h[l] = step
        tEnd[l] = end
        tStop[l] = min(end, run.nextActionTime(after: scalar.t))
        previousError[l] = StepController().previousError
        steps[l] = 0
        stiffCount[l] = 0
        nonStiffCount[l] = 0
        for i in 0..<n {
            y[i * lanes + l] = scalar.y[i]
            k1[i * lanes + l] = scalar.k1[i]
            absoluteTolerance[i * lanes + l] = scalar.absoluteTolerance[i]
        }
        let mine = laneRegisters + l * registerCount
        mine.update(from: scalar.registers, count: registerCount)
        for r in (1 + n)..<registerCount { registers[r * lanes + l] = mine[r] }
    }

    /// dy = f(t + c h, state) for every lane (plus the zero infusion rate, as on the scalar path).
    @inline(__always)
    private func evaluateRHS(_ c: Double, _ state: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        let lanes = self.lanes
        for l in 0..<lanes { registers[l] = t[l] + c * h[l] }
        (registers + lanes).update(from: state, count: n * lanes)
        rhs.runBatch(registers, lanes: lanes)
        for i in 0..<n {
            let source = registers + Int(rhsResults[i]) * lanes, target = dy + i * lanes
            for l in 0..<lanes { target[l] = source[l] + 0 }
        }
    }

    /// The stages of `Integrator.dormandPrinceStep` in every lane, with the same operations in the same order.
    private func step() {
        typealias T = DormandPrinceTableau
        let lanes = self.lanes, n = self.n
        /// target[k] = y[k] + h · combination(k) for every component and lane (h of the lane).
        @inline(__always) func stage(_ target: UnsafeMutablePointer<Double>, _ combination: (Int) -> Double) {
            for i in 0..<n {
                let base = i * lanes
                for l in 0..<lanes {
                    let k = base + l
                    target[k] = y[k] + h[l] * combination(k)
                }
            }
        }
        for i in 0..<n {
            let base = i * lanes
            for l in 0..<lanes {
                let k = base + l
                tmp[k] = y[k] + h[l] * T.a21 * k1[k]
            }
        }
        evaluateRHS(T.c2, tmp, k2)
        stage(tmp) { k in T.a31 * k1[k] + T.a32 * k2[k] }
        evaluateRHS(T.c3, tmp, k3)
        stage(tmp) { k in T.a41 * k1[k] + T.a42 * k2[k] + T.a43 * k3[k] }
        evaluateRHS(T.c4, tmp, k4)
        stage(tmp) { k in T.a51 * k1[k] + T.a52 * k2[k] + T.a53 * k3[k] + T.a54 * k4[k] }
        evaluateRHS(T.c5, tmp, k5)
        stage(stiffProbe) { k in T.a61 * k1[k] + T.a62 * k2[k] + T.a63 * k3[k] + T.a64 * k4[k] + T.a65 * k5[k] }
        evaluateRHS(1, stiffProbe, k6)
        stage(yNew) { k in T.a71 * k1[k] + T.a73 * k3[k] + T.a74 * k4[k] + T.a75 * k5[k] + T.a76 * k6[k] }
        evaluateRHS(1, yNew, k7)
        let rtol = scalar.relativeTolerance
        for l in 0..<lanes { error[l] = 0 }
        for i in 0..<n {
            for l in 0..<lanes {
                let k = i * lanes + l, hl = h[l]
                let e = hl * (T.e1 * k1[k] + T.e3 * k3[k] + T.e4 * k4[k] + T.e5 * k5[k] + T.e6 * k6[k] + T.e7 * k7[k])
                let sk = absoluteTolerance[k] + rtol * max(abs(y[k]), abs(yNew[k]))
                let r = e / sk
                error[l] += r * r
            }
        }
        let count = Double(max(n, 1))
        for l in 0..<lanes { error[l] = (error[l] / count).squareRoot() }
    }

    private func storeDense(_ l: Int) {
        typealias T = DormandPrinceTableau
        let hl = h[l]
        for i in 0..<n {
            let k = i * lanes + l
            let ydiff = yNew[k] - y[k]
            let bspl = hl * k1[k] - ydiff
            dense0[k] = y[k]
            dense1[k] = ydiff
            dense2[k] = bspl
            dense3[k] = ydiff - hl * k7[k] - bspl
            dense4[k] = hl * (T.d1 * k1[k] + T.d3 * k3[k] + T.d4 * k4[k] + T.d5 * k5[k] + T.d6 * k6[k] + T.d7 * k7[k])
        }
        denseT[l] = t[l]
        denseH[l] = hl
    }

    private func stiffness(_ l: Int) -> Double {
        var num = 0.0, den = 0.0
        for i in 0..<n {
            let k = i * lanes + l
            let dk = k7[k] - k6[k], dy = yNew[k] - stiffProbe[k]
            num += dk * dk
            den += dy * dy
        }
        return den > 0 ? h[l] * (num / den).squareRoot() : 0
    }

    private func checkState(_ l: Int, at time: Double, _ options: SolverOptions) -> SimulationStatus? {
        for i in 0..<n {
            let v = yNew[i * lanes + l]
            if !v.isFinite { return .nonFinite(time: time, variable: model.stateIds[i]) }
            if abs(v) > options.blowUpThreshold { return .blowUp(time: time, variable: model.stateIds[i]) }
        }
        return nil
    }

    private func nonFiniteVariable(_ state: UnsafePointer<Double>, _ l: Int) -> String? {
        for i in 0..<n where !state[i * lanes + l].isFinite { return model.stateIds[i] }
        return nil
    }

    /// Lane l as it stood before its current step.
    private func snapshot(_ l: Int) -> LaneSnapshot {
        LaneSnapshot(t: t[l], h: hStart[l], previousError: previousError[l], steps: steps[l] - 1,
                     stiffCount: stiffCount[l], nonStiffCount: nonStiffCount[l],
                     y: (0..<n).map { y[$0 * lanes + l] }, k1: (0..<n).map { k1[$0 * lanes + l] },
                     triggers: Array(triggers[(l * eventCount)..<((l + 1) * eventCount)]),
                     constants: Array(UnsafeBufferPointer(start: laneRegisters + l * registerCount + 1 + n,
                                                          count: registerCount - 1 - n)),
                     run: runs[l]!, statistics: statistics[l])
    }

    /// Lane l after the step at which `auto` switched it to RODAS4 (f(t, y) in `k1`, the stop handled).
    private func stiffSnapshot(_ l: Int, _ previousState: [Double]) -> LaneSnapshot {
        LaneSnapshot(t: t[l], h: h[l], previousError: previousError[l], steps: steps[l],
                     stiffCount: stiffCount[l], nonStiffCount: nonStiffCount[l],
                     y: (0..<n).map { y[$0 * lanes + l] }, k1: (0..<n).map { k1[$0 * lanes + l] },
                     useRodas: true, previousState: previousState,
                     triggers: Array(triggers[(l * eventCount)..<((l + 1) * eventCount)]),
                     constants: Array(UnsafeBufferPointer(start: laneRegisters + l * registerCount + 1 + n,
                                                          count: registerCount - 1 - n)),
                     run: runs[l]!, statistics: statistics[l])
    }

    /// Applies lane l's doses due at its current time, as `Integrator.applyDoses` does (boluses and sets).
    private func applyDoses(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        var constantsChanged = false
        while runs[l]!.nextAction < runs[l]!.actions.count, runs[l]!.actions[runs[l]!.nextAction].time <= t[l] {
            let a = runs[l]!.actions[runs[l]!.nextAction]
            runs[l]!.nextAction += 1
            switch (a.target, a.kind) {
            case (.state(let i), .add): y[i * lanes + l] += a.amount
            case (.state(let i), .set): y[i * lanes + l] = a.amount
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
            for r in (1 + n)..<registerCount { registers[r * lanes + l] = mine[r] }
        }
    }

    /// k1 = f(t, y) of lane l, evaluated on its own register file (the same operations as the batched pass).
    private func evaluateLaneRHS(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        mine[0] = t[l]
        for i in 0..<n { mine[1 + i] = y[i * lanes + l] }
        rhsProgram.run(mine)
        for i in 0..<n { k1[i * lanes + l] = mine[Int(rhsProgram.results[i])] + 0 }
    }

    /// Whether any event trigger of lane l has a different value at (time, state) than after the last step.
    private func triggersChange(_ l: Int, at time: Double, state: UnsafeMutablePointer<Double>? = nil) -> Bool {
        let mine = laneRegisters + l * registerCount
        let state = state ?? yNew
        mine[0] = time
        for i in 0..<n { mine[1 + i] = state[i * lanes + l] }
        triggerProgram.run(mine)
        for e in 0..<eventCount where (mine[Int(triggerProgram.results[e])] != 0) != triggers[l * eventCount + e] {
            return true
        }
        return false
    }

    // MARK: Outputs

    /// Evaluates the outputs of lane l at `time` from the lane's state stored in its scalar register file.
    private func record(_ l: Int, time: Double) {
        let mine = laneRegisters + l * registerCount
        mine[0] = time
        outputProgram.run(mine)
        for c in 0..<outputProgram.resultCount { runs[l]!.values.append(mine[Int(outputProgram.results[c])]) }
        runs[l]!.nextOutput += 1
    }

    private func emitCurrent(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        while runs[l]!.nextOutput < runs[l]!.times.count, runs[l]!.times[runs[l]!.nextOutput] <= t[l] {
            for i in 0..<n { mine[1 + i] = y[i * lanes + l] }
            record(l, time: runs[l]!.times[runs[l]!.nextOutput])
        }
    }

    private func emitInterpolated(_ l: Int, after start: Double, before end: Double, includingEnd: Bool) {
        let mine = laneRegisters + l * registerCount
        while runs[l]!.nextOutput < runs[l]!.times.count {
            let time = runs[l]!.times[runs[l]!.nextOutput]
            guard time < end || (includingEnd && time == end) else { break }
            let theta = (time - denseT[l]) / denseH[l]
            let rest = 1 - theta
            for i in 0..<n {
                let k = i * lanes + l
                mine[1 + i] = dense0[k] + theta * (dense1[k] + rest * (dense2[k] + theta * (dense3[k] + rest * dense4[k])))
            }
            record(l, time: time)
        }
    }
}
