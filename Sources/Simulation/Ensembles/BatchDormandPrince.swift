import Foundation

/// Lock-step Dormand–Prince 5(4) and RODAS4 for many simulations of one model at once (the ensemble's
/// batched path).
///
/// Up to `lanes` simulations advance together with Dormand–Prince ("explicit lanes"): each step evaluates the
/// right-hand side of every lane in one structure-of-arrays pass of the register program (`Program.runBatch`),
/// so the interpreter's dispatch is paid once per batch and the arithmetic runs over contiguous lanes. Control
/// flow is per lane: each lane has its own time, step size, PI controller, error test, stiffness counters,
/// output cursor and status, and the arithmetic of a lane never reads another lane. Every lane therefore
/// computes exactly (bit for bit) what the scalar `Integrator` computes with `dopri5`, or with `auto` until it
/// detects stiffness. A lane that `auto` switches to the stiff method moves to a second set of `lanes` slots
/// ("Rosenbrock lanes", `BatchIntegrator+Rosenbrock.swift`) that advance together with RODAS4: one batched pass
/// each for the right-hand side and for the Jacobian, `luFactor`/`luSolve`'s operations across lanes, and
/// per-lane step control, dense output and outputs, again bit for bit what the scalar path computes. The
/// per-lane arithmetic of both methods runs four lanes per `SIMD4<Double>` operation (`lanes` is a multiple
/// of 4), each lane with the scalar path's IEEE operations in the same order.
/// A switching lane waits in its explicit slot while every Rosenbrock slot is busy; each round steps the set
/// with more busy lanes. Models with sensitivity blocks continue a switching lane on the scalar path from the
/// switch (`LaneSnapshot`). A lane in which an event trigger changes value during an explicit step is handed
/// to the scalar path as it stood before that step (`LaneSnapshot`), and the scalar path repeats the step,
/// locates and executes the event and finishes the run; a lane where an event fires at the start, or during a
/// Rosenbrock step, is run on the scalar path from the start. Boluses and set doses are exact stops of the
/// lane, applied as the scalar path applies them; problems with infusions, fixed steps or `rodas4` go to the
/// scalar path. When a lane finishes, the next simulation takes its place, so lanes stay busy until the range
/// runs out.
///
/// Not thread-safe: each worker thread uses its own instance. Buffers are allocated once per instance.
final class BatchIntegrator {
    /// What a slot holds: nothing, an explicit lane, a lane that switched to RODAS4 and waits for a Rosenbrock
    /// slot, or a Rosenbrock lane.
    enum Mode { case empty, explicit, waiting, rosenbrock }

    let model: CompiledModel
    /// The scalar integrator used for each lane's start (initial values, first step size) and for fallbacks.
    let scalar: Integrator
    /// Lanes per set, a multiple of 4 (vector chunks): slots `0..<lanes` are explicit, `lanes..<slots`
    /// Rosenbrock (none without `stiffLanes`).
    let lanes: Int
    let slots: Int
    let n: Int
    let registerCount: Int
    private let storage: UnsafeMutablePointer<Double>
    /// Structure-of-arrays register files of the two sets: register r of slot l at `registers[r * lanes + l]`,
    /// of Rosenbrock slot `lanes + j` at `stiffRegisters[r * lanes + j]`.
    let registers: UnsafeMutablePointer<Double>
    let stiffRegisters: UnsafeMutablePointer<Double>
    /// Slot-major scalar register files (slot l at `laneRegisters + l * registerCount`) for outputs.
    let laneRegisters: UnsafeMutablePointer<Double>
    // state-major vectors over all slots: component i of slot l at `v[i * slots + l]`
    var y, yNew, tmp, k1, k2, k3, k4, k5, k6, k7, stiffProbe, absoluteTolerance: UnsafeMutablePointer<Double>
    let dense0, dense1, dense2, dense3, dense4: UnsafeMutablePointer<Double>
    // Rosenbrock work: stage vectors structure-of-arrays (component i of Rosenbrock lane j at `v[i * lanes + j]`),
    // Jacobians structure-of-arrays too (entry e of lane j at `jac[e * lanes + j]`)
    let s1, s2, s3, s4, s5, s6, stageState, dfdt, jac: UnsafeMutablePointer<Double>
    /// The LU factors of the Rosenbrock lanes, structure-of-arrays (entry e of lane j at `luLanes[e * lanes + j]`;
    /// `pivots` per lane as from `luFactor`), per-lane scratch (1/h), and 1 for the lanes factored this step.
    let luLanes, laneScratch, factoredMask: UnsafeMutablePointer<Double>
    /// Per Rosenbrock lane, 1 where it is busy / stale this step, else 0 (vector masks).
    let busyMask, staleMask: UnsafeMutablePointer<Double>
    /// The factored lanes' row swaps of the current step (lane, row, pivot row; only rows that move).
    let rowSwaps: UnsafeMutablePointer<(Int32, Int32, Int32)>
    /// The busy Rosenbrock lanes of the current step, and those whose iteration matrix is regular.
    let busyLanes, factoredLanes: UnsafeMutablePointer<Int>
    /// The first lanes of the chunks of four Rosenbrock lanes with a busy lane, this step.
    let activeChunks: UnsafeMutablePointer<Int>
    let pivots: UnsafeMutablePointer<Int32>
    // per slot
    let t, h, hStart, tEnd, tStop, hMin, error, previousLogError, denseT, denseH: UnsafeMutablePointer<Double>
    /// Per slot: the run's first output time not recorded yet (`.infinity` when every row is), so the
    /// per-step output checks read one number instead of the run's bookkeeping.
    let nextOutputTime: UnsafeMutablePointer<Double>
    /// Per explicit slot: Hairer's stiffness indicator of the last step (`stiffness(_:)`), computed by `step()`
    /// for all lanes at once with the error norm.
    let stiffnessIndicator: UnsafeMutablePointer<Double>
    let hitsStop: UnsafeMutablePointer<Bool>
    /// Per Rosenbrock lane: f(t, y), J and df/dt are to be evaluated before the next step (after an accepted step).
    let stale: UnsafeMutablePointer<Bool>
    var mode: [Mode]
    var steps: [Int], stiffCount: [Int], nonStiffCount: [Int]
    /// Per slot: the accepted steps' approach to a finite-time singularity, as on the scalar path.
    var watches: [SingularityWatch]
    var runs: [RunState?]
    var statistics: [SolverStatistics]
    var problems: [SimulationProblem?]
    var indices: [Int]
    let rhs: Program
    let rhsResults: UnsafeMutablePointer<Int32>
    let outputProgram: RawProgram
    let rhsProgram: RawProgram
    let invariantProgram: RawProgram
    let triggerProgram: RawProgram
    let jacobianPositions: UnsafeMutablePointer<Int32>
    let jacobianResults: UnsafeMutablePointer<Int32>
    let eventCount: Int
    /// Trigger values after each lane's last accepted step (slot l, event e at `l * eventCount + e`).
    var triggers: [Bool]

    /// Whether `Ensemble` may use the batched path for problems of `model` solved with `options`
    /// (individual problems with doses still go to the scalar path).
    static func covers(_ model: CompiledModel, _ options: SolverOptions) -> Bool {
        // delay() needs the per-run step history and trigger roots need per-step sign checks (narrow trigger
        // windows): both stay on the scalar path, as do runs with a time limit
        model.stateCount > 0 && options.fixedStepSize == nil && model.delayCount == 0 && options.timeLimit == nil
            && model.triggerRoots.code.isEmpty
            && (options.method == .auto || options.method == .dopri5)
    }

    /// - Parameter lanes: simulations per set (rounded up to a multiple of 4; extra lanes stay empty when
    ///   the range has no more simulations).
    /// - Parameter stiffLanes: whether lanes that switch to RODAS4 continue in Rosenbrock lanes (the default
    ///   when the model has no sensitivity blocks); otherwise they continue on the scalar path.
    init(model: CompiledModel, lanes: Int, stiffLanes: Bool? = nil) {
        self.model = model
        scalar = Integrator(model: model)
        let lanes = (max(lanes, 1) + 3) / 4 * 4
        self.lanes = lanes
        slots = (stiffLanes ?? (model.jacobianBlockCount == 0)) ? 2 * lanes : lanes
        n = model.stateCount
        registerCount = model.layout.registerCount
        let vectors = 17, perSlot = 12, stiffVectors = 8
        let stiff = slots > lanes ? lanes : 0
        let count = 2 * registerCount * lanes + registerCount * slots + vectors * n * slots + perSlot * slots
            + stiff * (stiffVectors * n + 2 * n * n + 4)
        storage = .allocate(capacity: count)
        storage.initialize(repeating: 0, count: count)
        var cursor = storage
        func take(_ k: Int) -> UnsafeMutablePointer<Double> {
            defer { cursor += k }
            return cursor
        }
        registers = take(registerCount * lanes)
        stiffRegisters = take(registerCount * lanes)
        laneRegisters = take(registerCount * slots)
        let m = n * slots
        y = take(m); yNew = take(m); tmp = take(m); k1 = take(m); k2 = take(m); k3 = take(m); k4 = take(m)
        k5 = take(m); k6 = take(m); k7 = take(m); stiffProbe = take(m); absoluteTolerance = take(m)
        dense0 = take(m); dense1 = take(m); dense2 = take(m); dense3 = take(m); dense4 = take(m)
        t = take(slots); h = take(slots); hStart = take(slots); tEnd = take(slots); tStop = take(slots); hMin = take(slots)
        error = take(slots); previousLogError = take(slots); denseT = take(slots); denseH = take(slots)
        nextOutputTime = take(slots); stiffnessIndicator = take(slots)
        let v = n * stiff
        s1 = take(v); s2 = take(v); s3 = take(v); s4 = take(v); s5 = take(v); s6 = take(v); stageState = take(v); dfdt = take(v)
        jac = take(n * n * stiff); luLanes = take(n * n * stiff)
        laneScratch = take(stiff); factoredMask = take(stiff); busyMask = take(stiff); staleMask = take(stiff)
        precondition(cursor == storage + count, "batch workspace accounting")
        pivots = .allocate(capacity: max(n * stiff, 1))
        pivots.initialize(repeating: 0, count: max(n * stiff, 1))
        hitsStop = .allocate(capacity: slots)
        hitsStop.initialize(repeating: false, count: slots)
        busyLanes = .allocate(capacity: lanes)
        busyLanes.initialize(repeating: 0, count: lanes)
        factoredLanes = .allocate(capacity: lanes)
        factoredLanes.initialize(repeating: 0, count: lanes)
        activeChunks = .allocate(capacity: lanes)
        activeChunks.initialize(repeating: 0, count: lanes)
        rowSwaps = .allocate(capacity: max(n * stiff, 1))
        rowSwaps.initialize(repeating: (0, 0, 0), count: max(n * stiff, 1))
        stale = .allocate(capacity: lanes)
        stale.initialize(repeating: false, count: lanes)
        mode = Array(repeating: .empty, count: slots)
        steps = Array(repeating: 0, count: slots)
        stiffCount = steps
        nonStiffCount = steps
        watches = Array(repeating: SingularityWatch(), count: slots)
        runs = Array(repeating: nil, count: slots)
        statistics = Array(repeating: SolverStatistics(), count: slots)
        problems = Array(repeating: nil, count: slots)
        indices = Array(repeating: -1, count: slots)
        rhs = model.rhs
        func copy(_ values: [Int32]) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(values.count, 1))
            values.withUnsafeBufferPointer { if !$0.isEmpty { p.initialize(from: $0.baseAddress!, count: $0.count) } }
            return p
        }
        rhsResults = copy(model.rhs.results)
        jacobianPositions = copy(model.jacobianPositions)
        jacobianResults = copy(model.jacobian.results)
        outputProgram = RawProgram(model.outputs)
        rhsProgram = RawProgram(model.rhs)
        invariantProgram = RawProgram(model.invariants)
        triggerProgram = RawProgram(model.triggers)
        eventCount = model.eventIds.count
        triggers = Array(repeating: false, count: slots * model.eventIds.count)
        for r in 0..<model.layout.registerCount {
            let v = model.layout.template[r]
            for l in 0..<lanes {
                registers[r * lanes + l] = v
                stiffRegisters[r * lanes + l] = v
            }
        }
    }

    deinit {
        storage.deallocate()
        pivots.deallocate()
        hitsStop.deallocate()
        stale.deallocate()
        busyLanes.deallocate()
        factoredLanes.deallocate()
        rowSwaps.deallocate()
        activeChunks.deallocate()
        rhsResults.deallocate()
        jacobianPositions.deallocate()
        jacobianResults.deallocate()
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
        run(claim: {
            guard next < range.upperBound else { return nil }
            defer { next += 1 }
            return next
        }, options: options, problem: problem, failure: failure, deliver: deliver)
    }

    /// Solves the simulations whose indices `claim` hands out one at a time until it returns nil (several
    /// workers can share one counter, so every worker's lanes stay full until the whole ensemble is done).
    func run(claim: () -> Int?, options: SolverOptions, problem: (Int) throws -> SimulationProblem,
             failure: (Error) -> SimulationResult, deliver: (Int, SimulationResult) -> Void) {
        /// Puts the next batchable simulation into explicit slot l, or empties slot l when it is a Rosenbrock
        /// slot (waiting lanes move in at the top of the round) or the range is exhausted.
        func refill(_ l: Int) {
            mode[l] = .empty
            indices[l] = -1
            h[l] = 0
            guard l < lanes else { return }
            while let i = claim() {
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
                    return
                }
            }
        }
        func finish(_ l: Int, _ status: SimulationStatus) {
            runs[l]!.status = status
            deliver(indices[l], runs[l]!.finish(statistics[l]))
            refill(l)
        }
        /// The stop at lane l's current time after an accepted step: doses due now, then the outputs at this
        /// time, then f(t, y) (as on the scalar path). False when the lane is done (finished or handed over).
        func stop(_ l: Int) -> Bool {
            t[l] = tStop[l]
            applyDoses(l)
            if eventCount > 0 && triggersChange(l, at: t[l], state: y) {
                deliver(indices[l], scalar.run(problems[l]!, options))  // a dose made an event fire
                refill(l)
                return false
            }
            emitCurrent(l)
            statistics[l].rhsEvaluations += 1
            if t[l] >= tEnd[l] {
                finish(l, .success)
                return false
            }
            if l < lanes { evaluateLaneRHS(l) } else { stale[l - lanes] = true }
            tStop[l] = min(tEnd[l], runs[l]!.nextActionTime(after: t[l]))
            return true
        }
        /// Step sizes of the lanes of one set (a lane that reaches the step limit finishes and its slot is refilled).
        @inline(__always) func prepare(_ set: Range<Int>, _ kind: Mode) {
            for l in set where mode[l] == kind {
                while true {
                    if steps[l] >= options.maxSteps {
                        finish(l, .maxSteps(time: t[l]))
                        if mode[l] == kind { continue }
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
        }

        /// Updates lane l's singularity watch with its accepted step; true when that ended the lane (`.blowUp`).
        @inline(__always) func approachesSingularity(_ l: Int, endingAt tNew: Double) -> Bool {
            let (largest, index) = SingularityWatch.largestMagnitude(yNew + l, count: n, stride: slots)
            guard watches[l].accepted(step: h[l], largest: largest, endingAt: tNew, stop: tStop[l]) else { return false }
            finish(l, .blowUp(time: tNew, variable: model.stateIds[index]))
            return true
        }
        for l in 0..<lanes { refill(l) }
        let auto = options.method == .auto
        var controller = StepController()
        /// The error test of lane l's step: a rejection (a smaller step, or the lane's end when the step size
        /// underflows), or the accepted step's end time after its dense output is stored and its state checked;
        /// nil when the lane does not go on from this step.
        @inline(__always) func errorTest(_ l: Int, _ err: Double, _ rosenbrock: Bool) -> Double? {
            if !(err <= 1) {
                statistics[l].rejectedSteps += 1
                h[l] = controller.rejected(h[l], err, rosenbrock)
                if h[l] < hMin[l] {
                    finish(l, nonFiniteVariable(yNew, l).map { .nonFinite(time: t[l], variable: $0) }
                        ?? .stepSizeUnderflow(time: t[l], stepSize: h[l]))
                }
                return nil
            }
            statistics[l].acceptedSteps += 1
            let tNew = hitsStop[l] ? tStop[l] : t[l] + h[l]
            if rosenbrock { storeRosenbrockDense(l) } else { storeDense(l) }
            if let failure = checkState(l, at: tNew, options) {
                finish(l, failure)
                return nil
            }
            return tNew
        }
        var waiting = 0  // lanes in explicit slots waiting for a Rosenbrock slot
        while true {
            // waiting lanes take the free Rosenbrock slots (in slot order), and their explicit slots are refilled
            if waiting > 0 {
                for l in 0..<lanes where mode[l] == .waiting {
                    guard let free = (lanes..<slots).first(where: { mode[$0] == .empty }) else { break }
                    move(l, to: free)
                    waiting -= 1
                    refill(l)
                }
            }
            var explicitLanes = 0, stiffLanes = 0
            for l in 0..<lanes where mode[l] == .explicit { explicitLanes += 1 }
            if slots > lanes {
                for l in lanes..<slots where mode[l] == .rosenbrock { stiffLanes += 1 }
            }
            if explicitLanes == 0 && stiffLanes == 0 { break }
            if explicitLanes == 0 || stiffLanes > explicitLanes {
                // one RODAS4 step in every Rosenbrock lane
                prepare(lanes..<slots, .rosenbrock)
                rosenbrockStep(options.relativeTolerance)
                for l in lanes..<slots where mode[l] == .rosenbrock {
                    let err = error[l]
                    guard let tNew = errorTest(l, err, true) else { continue }
                    if eventCount > 0 && triggersChange(l, at: tNew) {
                        deliver(indices[l], scalar.run(problems[l]!, options))  // the scalar path locates the event
                        refill(l)
                        continue
                    }
                    if approachesSingularity(l, endingAt: tNew) { continue }
                    emitInterpolated(l, after: t[l], before: tNew, includingEnd: tNew < tStop[l])
                    for i in 0..<n { swap(&y[i * slots + l], &yNew[i * slots + l]) }
                    t[l] = tNew
                    stale[l - lanes] = true
                    statistics[l].rhsEvaluations += 1
                    h[l] = controller.accepted(h[l], err, true)
                    if t[l] >= tStop[l] { _ = stop(l) }
                }
                continue
            }
            // one Dormand–Prince step in every explicit lane
            prepare(0..<lanes, .explicit)
            step(stiffnessTest: auto)
            for l in 0..<lanes where mode[l] == .explicit {
                statistics[l].rhsEvaluations += 6
                let err = error[l]
                guard let tNew = errorTest(l, err, false) else { continue }
                if eventCount > 0 && triggersChange(l, at: tNew) {
                    // the scalar path repeats this step from the lane's state, locates and executes the event
                    statistics[l].rhsEvaluations -= 6
                    statistics[l].acceptedSteps -= 1
                    deliver(indices[l], scalar.run(problems[l]!, options, resuming: snapshot(l)))
                    refill(l)
                    continue
                }
                if approachesSingularity(l, endingAt: tNew) { continue }
                emitInterpolated(l, after: t[l], before: tNew, includingEnd: tNew < tStop[l])
                var switches = false
                if auto {
                    if stiffness(l) > 3.25 {
                        nonStiffCount[l] = 0
                        stiffCount[l] += 1
                        // the scalar path switches to RODAS4 after this step
                        switches = stiffCount[l] >= 15
                    } else {
                        nonStiffCount[l] += 1
                        if nonStiffCount[l] >= 6 { stiffCount[l] = 0 }
                    }
                }
                for i in 0..<n {
                    y[i * slots + l] = yNew[i * slots + l]
                    k1[i * slots + l] = k7[i * slots + l]
                }
                t[l] = tNew
                controller.previousLogError = previousLogError[l]
                h[l] = controller.accepted(h[l], err, switches)
                previousLogError[l] = controller.previousLogError
                if switches {
                    // as on the scalar path: f(t, y) again after the step (RODAS4's k1), then the stop if due
                    statistics[l].switchedToStiffAt = tNew
                    statistics[l].rhsEvaluations += 1
                    if t[l] < tStop[l] && slots == lanes { evaluateLaneRHS(l) }  // Rosenbrock lanes evaluate it batched
                }
                if t[l] >= tStop[l] && !stop(l) { continue }
                if switches {
                    if slots > lanes {
                        mode[l] = .waiting
                        waiting += 1
                    } else {
                        deliver(indices[l], scalar.run(problems[l]!, options, resuming: stiffSnapshot(l)))
                        refill(l)
                    }
                }
            }
        }
    }

    // MARK: Lanes

    private func load(_ l: Int, index: Int, problem: SimulationProblem, run: RunState, step: Double, end: Double) {
        mode[l] = .explicit
        indices[l] = index
        problems[l] = problem
        runs[l] = run
        statistics[l] = scalar.statistics
        t[l] = scalar.t
        h[l] = step
        tEnd[l] = end
        tStop[l] = min(end, run.nextActionTime(after: scalar.t))
        nextOutputTime[l] = run.pendingOutputTime ?? .infinity
        previousLogError[l] = StepController().previousLogError
        steps[l] = 0
        stiffCount[l] = 0
        nonStiffCount[l] = 0
        watches[l] = SingularityWatch()
        for i in 0..<n {
            y[i * slots + l] = scalar.y[i]
            k1[i * slots + l] = scalar.k1[i]
            absoluteTolerance[i * slots + l] = scalar.absoluteTolerance[i]
        }
        let mine = laneRegisters + l * registerCount
        mine.update(from: scalar.registers, count: registerCount)
        storeConstants(l)
    }

    /// Moves the waiting lane of explicit slot l to the empty Rosenbrock slot r.
    private func move(_ l: Int, to r: Int) {
        mode[r] = .rosenbrock
        mode[l] = .empty
        indices[r] = indices[l]
        problems[r] = problems[l]
        runs[r] = runs[l]
        statistics[r] = statistics[l]
        problems[l] = nil
        runs[l] = nil
        t[r] = t[l]; h[r] = h[l]; tEnd[r] = tEnd[l]; tStop[r] = tStop[l]; previousLogError[r] = previousLogError[l]
        nextOutputTime[r] = nextOutputTime[l]
        steps[r] = steps[l]; stiffCount[r] = stiffCount[l]; nonStiffCount[r] = nonStiffCount[l]
        watches[r] = watches[l]
        for i in 0..<n {
            y[i * slots + r] = y[i * slots + l]
            yNew[i * slots + r] = dense0[i * slots + l]  // the state before the last step, as in the scalar yNew
            absoluteTolerance[i * slots + r] = absoluteTolerance[i * slots + l]
        }
        (laneRegisters + r * registerCount).update(from: laneRegisters + l * registerCount, count: registerCount)
        storeConstants(r)
        for e in 0..<eventCount { triggers[r * eventCount + e] = triggers[l * eventCount + e] }
        stale[r - lanes] = true
    }

    /// Copies slot l's constants (registers after the time and the states) into its set's batched register file.
    private func storeConstants(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        let (file, column) = l < lanes ? (registers, l) : (stiffRegisters, l - lanes)
        for r in (1 + n)..<registerCount { file[r * lanes + column] = mine[r] }
    }

    /// dy = f(t + c h, state) for every explicit lane (plus the zero infusion rate, as on the scalar path).
    @inline(__always)
    private func evaluateRHS(_ c: Double, _ state: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        let lanes = self.lanes, slots = self.slots
        for l in 0..<lanes { registers[l] = t[l] + c * h[l] }
        for i in 0..<n { (registers + (1 + i) * lanes).update(from: state + i * slots, count: lanes) }
        rhs.runBatch(registers, lanes: lanes)
        for i in 0..<n {
            let source = registers + Int(rhsResults[i]) * lanes, target = dy + i * slots
            for l in 0..<lanes { target[l] = source[l] + 0 }
        }
    }
    /// The stages of `Integrator.dormandPrinceStep` in every lane, with the same operations in the same order,
    /// four lanes per `SIMD4<Double>` operation (the same IEEE operations per lane, so bit for bit the same).
    /// With `stiffnessTest` (method `auto`) it also leaves each lane's stiffness indicator in `stiffnessIndicator`.
    func step(stiffnessTest: Bool) {
        typealias T = DormandPrinceTableau
        typealias V = SIMD4<Double>
        let lanes = self.lanes, slots = self.slots, n = self.n
        let y = self.y, k1 = self.k1, k2 = self.k2, k3 = self.k3, k4 = self.k4, k5 = self.k5, k6 = self.k6
        let k7 = self.k7, h = self.h
        for i in 0..<n {
            var k = i * slots
            while k < i * slots + lanes {
                tmp.setLanes(k, y.lanes(k) + h.lanes(k - i * slots) * T.a21 * k1.lanes(k))
                k += 4
            }
        }
        evaluateRHS(T.c2, tmp, k2)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                tmp.setLanes(k, y.lanes(k) + h.lanes(l) * (T.a31 * k1.lanes(k) + T.a32 * k2.lanes(k)))
                l += 4
            }
        }
        evaluateRHS(T.c3, tmp, k3)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a41 * k1.lanes(k) + T.a42 * k2.lanes(k) + T.a43 * k3.lanes(k)
                tmp.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(T.c4, tmp, k4)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a51 * k1.lanes(k) + T.a52 * k2.lanes(k) + T.a53 * k3.lanes(k) + T.a54 * k4.lanes(k)
                tmp.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(T.c5, tmp, k5)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a61 * k1.lanes(k) + T.a62 * k2.lanes(k) + T.a63 * k3.lanes(k) + T.a64 * k4.lanes(k)
                    + T.a65 * k5.lanes(k)
                stiffProbe.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(1, stiffProbe, k6)
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l
                let combination = T.a71 * k1.lanes(k) + T.a73 * k3.lanes(k) + T.a74 * k4.lanes(k) + T.a75 * k5.lanes(k)
                    + T.a76 * k6.lanes(k)
                yNew.setLanes(k, y.lanes(k) + h.lanes(l) * combination)
                l += 4
            }
        }
        evaluateRHS(1, yNew, k7)
        let rtol = scalar.relativeTolerance, count = Double(max(n, 1))
        let zero = V(repeating: 0)
        var l = 0
        while l < lanes {
            var sum = zero, num = zero, den = zero
            let hl = h.lanes(l)
            for i in 0..<n {
                let k = i * slots + l
                let e = hl * (T.e1 * k1.lanes(k) + T.e3 * k3.lanes(k) + T.e4 * k4.lanes(k) + T.e5 * k5.lanes(k)
                                  + T.e6 * k6.lanes(k) + T.e7 * k7.lanes(k))
                let sk = absoluteTolerance.lanes(k) + rtol * maximum(magnitude(y.lanes(k)), magnitude(yNew.lanes(k)))
                let r = e / sk
                sum += r * r
                if stiffnessTest {
                    let dk = k7.lanes(k) - k6.lanes(k), dy = yNew.lanes(k) - stiffProbe.lanes(k)
                    num += dk * dk
                    den += dy * dy
                }
            }
            error.setLanes(l, (sum / count).squareRoot())
            if stiffnessTest {
                // as `Integrator.stiffness()`: h·sqrt(num/den), 0 unless den > 0
                stiffnessIndicator.setLanes(l, zero.replacing(with: hl * (num / den).squareRoot(), where: den .> 0))
            }
            l += 4
        }
    }

    func storeDense(_ l: Int) {
        typealias T = DormandPrinceTableau
        let hl = h[l]
        for i in 0..<n {
            let k = i * slots + l
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

    /// Lane l's stiffness indicator of the last step (from `step(stiffnessTest: true)`).
    func stiffness(_ l: Int) -> Double { stiffnessIndicator[l] }

    func checkState(_ l: Int, at time: Double, _ options: SolverOptions) -> SimulationStatus? {
        for i in 0..<n {
            let v = yNew[i * slots + l]
            if !v.isFinite { return .nonFinite(time: time, variable: model.stateIds[i]) }
            if abs(v) > options.blowUpThreshold { return .blowUp(time: time, variable: model.stateIds[i]) }
        }
        return nil
    }

    func nonFiniteVariable(_ state: UnsafePointer<Double>, _ l: Int) -> String? {
        for i in 0..<n where !state[i * slots + l].isFinite { return model.stateIds[i] }
        return nil
    }

    /// Lane l as it stood before its current step.
    func snapshot(_ l: Int) -> LaneSnapshot {
        LaneSnapshot(t: t[l], h: hStart[l], previousLogError: previousLogError[l], steps: steps[l] - 1,
                     stiffCount: stiffCount[l], nonStiffCount: nonStiffCount[l], watch: watches[l],
                     y: (0..<n).map { y[$0 * slots + l] }, k1: (0..<n).map { k1[$0 * slots + l] },
                     triggers: Array(triggers[(l * eventCount)..<((l + 1) * eventCount)]),
                     constants: Array(UnsafeBufferPointer(start: laneRegisters + l * registerCount + 1 + n,
                                                          count: registerCount - 1 - n)),
                     run: runs[l]!, statistics: statistics[l])
    }

    /// Lane l after the step at which `auto` switched it to RODAS4 (f(t, y) in `k1`, the stop handled; `dense0`
    /// holds the state before that step, which the scalar path then has in `yNew`).
    func stiffSnapshot(_ l: Int) -> LaneSnapshot {
        LaneSnapshot(t: t[l], h: h[l], previousLogError: previousLogError[l], steps: steps[l],
                     stiffCount: stiffCount[l], nonStiffCount: nonStiffCount[l], watch: watches[l],
                     y: (0..<n).map { y[$0 * slots + l] }, k1: (0..<n).map { k1[$0 * slots + l] },
                     useRodas: true, previousState: (0..<n).map { dense0[$0 * slots + l] },
                     triggers: Array(triggers[(l * eventCount)..<((l + 1) * eventCount)]),
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
    func record(_ l: Int, time: Double) {
        let mine = laneRegisters + l * registerCount
        mine[0] = time
        outputProgram.run(mine)
        nextOutputTime[l] = runs[l]!.recordRow(outputProgram, mine)
    }

    func emitCurrent(_ l: Int) {
        let mine = laneRegisters + l * registerCount
        while nextOutputTime[l] <= t[l] {
            let time = nextOutputTime[l]
            for i in 0..<n { mine[1 + i] = y[i * slots + l] }
            record(l, time: time)
        }
    }

    func emitInterpolated(_ l: Int, after start: Double, before end: Double, includingEnd: Bool) {
        let mine = laneRegisters + l * registerCount
        while true {
            let time = nextOutputTime[l]  // .infinity (never < end) when every row is recorded
            guard time < end || (includingEnd && time == end) else { break }
            let theta = (time - denseT[l]) / denseH[l]
            let rest = 1 - theta
            if l < lanes {
                for i in 0..<n {
                    let k = i * slots + l
                    mine[1 + i] = dense0[k] + theta * (dense1[k] + rest * (dense2[k] + theta * (dense3[k] + rest * dense4[k])))
                }
            } else {
                for i in 0..<n {
                    let k = i * slots + l
                    mine[1 + i] = dense0[k] * rest + theta * (dense3[k] + rest * (dense1[k] + theta * dense2[k]))
                }
            }
            record(l, time: time)
        }
    }
}
