import Foundation

/// Lock-step Dormand–Prince 5(4) and Rodas5P for many simulations of one model at once (the ensemble's
/// batched path).
///
/// Up to `lanes` simulations advance together with Dormand–Prince ("explicit lanes"): each step evaluates the
/// right-hand side of every lane in one structure-of-arrays pass of the register program (`Program.runBatch`),
/// so the interpreter's dispatch is paid once per batch and the arithmetic runs over contiguous lanes. Control
/// flow is per lane: each lane has its own time, step size, PI controller, error test, stiffness counters,
/// output cursor and status, and the arithmetic of a lane never reads another lane. Every lane therefore
/// computes exactly (bit for bit) what the scalar `Integrator` computes with `dopri5`, or with `auto` until it
/// detects stiffness. A lane that `auto` switches to the stiff method moves to a second set of `lanes` slots
/// ("Rosenbrock lanes", `BatchIntegrator+Rosenbrock.swift`) that advance together with Rodas5P: one batched pass
/// each for the right-hand side and for the Jacobian, `luFactor`/`luSolve`'s operations across lanes, and
/// per-lane step control, dense output and outputs, again bit for bit what the scalar path computes. The
/// per-lane arithmetic of both methods runs four lanes per `SIMD4<Double>` operation (`lanes` is a multiple
/// of 4), each lane with the scalar path's IEEE operations in the same order.
/// After each batched step, the lanes whose step is ordinary (accepted, before the lane's next stop, nothing to
/// check further) are completed in one tight pass (`BatchIntegrator+OrdinarySteps.swift`); only the others take the
/// per-lane path with its stops, events, failures and hand-overs.
/// A switching lane waits in its explicit slot while every Rosenbrock slot is busy; each round steps the set
/// with more busy lanes. Models with sensitivity blocks continue a switching lane on the scalar path from the
/// switch (`LaneSnapshot`). A lane in which an event trigger changes value during an explicit step is handed
/// to the scalar path as it stood before that step (`LaneSnapshot`), and the scalar path repeats the step,
/// locates and executes the event and finishes the run; a lane where an event fires at the start, or during a
/// Rosenbrock step, is run on the scalar path from the start. Boluses and set doses are exact stops of the
/// lane, applied as the scalar path applies them; problems with infusions, fixed steps or `rodas4` go to the
/// scalar path. With `rodas5p` (models without sensitivity blocks) every lane is a Rosenbrock lane from its
/// start; the explicit slots only hold lanes waiting for a Rosenbrock slot. When a lane finishes, the next
/// simulation takes its place, so lanes stay busy until the range runs out.
///
/// Not thread-safe: each worker thread uses its own instance. Buffers are allocated once per instance.
final class BatchIntegrator {
    /// What a slot holds: nothing, an explicit lane, a lane that switched to Rodas5P (or starts with `rodas5p`)
    /// and waits for a Rosenbrock slot, or a Rosenbrock lane.
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
    let y, yNew, tmp, k1, k2, k3, k4, k5, k6, k7, stiffProbe, absoluteTolerance: UnsafeMutablePointer<Double>
    /// Dense-output coefficients of each lane's last step (written by the batched step for every lane of the set,
    /// used only after an accepted step).
    let dense0, dense1, dense2, dense3, dense4: UnsafeMutablePointer<Double>
    /// Per explicit slot waiting for a Rosenbrock slot (or loaded as waiting by `rodas5p`): the state before its
    /// last step, which the scalar path holds in `yNew` at the switch (the batched steps overwrite `dense0`).
    let waitingState: UnsafeMutablePointer<Double>
    // Rosenbrock work: stage vectors structure-of-arrays (component i of Rosenbrock lane j at `v[i * lanes + j]`),
    // Jacobians structure-of-arrays too (entry e of lane j at `jac[e * lanes + j]`)
    let s1, s2, s3, s4, s5, s6, s7, s8, stageState, dfdt, jac: UnsafeMutablePointer<Double>
    /// The LU factors of the Rosenbrock lanes, structure-of-arrays (entry e of lane j at `luLanes[e * lanes + j]`;
    /// `pivots` per lane as from `luFactor`), per-lane scratch (1/h), and 1 for the lanes factored this step.
    let luLanes, laneScratch, factoredMask: UnsafeMutablePointer<Double>
    /// Per Rosenbrock lane, 1 where it is busy / stale this step, else 0 (vector masks).
    let busyMask, staleMask: UnsafeMutablePointer<Double>
    /// The factored lanes' row swaps of the current step (lane, row, pivot row; only rows that move).
    let rowSwaps: UnsafeMutablePointer<(Int32, Int32, Int32)>
    /// `luSolve`'s operations on the Rosenbrock lanes' structure-of-arrays factors (`solveLanes`).
    let substitution: SubstitutionPlan
    /// The sparse LU of the Rosenbrock lanes (`SparseLaneFactors`, as the scalar path's `SparseLU`; empty
    /// without Rosenbrock lanes), its structure-of-arrays values, and 1 for the lanes whose pivots passed its
    /// threshold test this step.
    let sparseFactors: SparseLaneFactors
    let sparseValues, sparseMask: UnsafeMutablePointer<Double>
    /// The first lanes of the chunks that hold a busy lane whose sparse pivots failed (dense LU this step),
    /// and a copy of the right-hand sides of those chunks for their dense solve.
    let denseChunks: UnsafeMutablePointer<Int>
    var denseChunkCount = 0
    let solveScratch: UnsafeMutablePointer<Double>
    /// The busy Rosenbrock lanes of the current step, and those whose iteration matrix is regular.
    let busyLanes, factoredLanes: UnsafeMutablePointer<Int>
    /// The first lanes of the chunks of four Rosenbrock lanes with a busy lane, this step.
    let activeChunks: UnsafeMutablePointer<Int>
    /// The lanes of the set just stepped whose step `completeOrdinarySteps` / `completeOrdinaryRosenbrockSteps` left to
    /// the round loop's per-lane path.
    let unusualLanes: UnsafeMutablePointer<Int>
    let pivots: UnsafeMutablePointer<Int32>
    // per slot
    let t, h, hStart, tEnd, tStop, hMin, error, previousLogError, denseT, denseH: UnsafeMutablePointer<Double>
    /// Per slot, computed by the batched step for its candidate `yNew`: the largest |component|, and the sum of
    /// the |components| (not finite when a component is not): a lane whose sum is finite and whose largest is at
    /// most the blow-up threshold needs no per-component check.
    let largestState, stateMagnitudeSum: UnsafeMutablePointer<Double>
    /// Per explicit slot: 1 where `completeOrdinarySteps` completed the lane's step this round, else 0.
    let ordinaryIndicator: UnsafeMutablePointer<Double>
    /// Per explicit slot: Hairer's stiffness indicator of the last step (`stiffness(_:)`), computed by `step()`
    /// for all lanes at once with the error norm.
    let stiffnessIndicator: UnsafeMutablePointer<Double>
    /// Per explicit slot: (f(y7) − f(y6)) · (y7 − y6) of the last step (negative for a damped mode, `damped(_:)`).
    let stiffnessDirection: UnsafeMutablePointer<Double>
    /// Per slot, computed for all lanes of a set after its batched step (`StepController`'s vector pass): the
    /// step size after the step if it is accepted and, for explicit lanes, the log2 error norm the controller
    /// remembers then.
    let nextStep, stepLogError: UnsafeMutablePointer<Double>
    let hitsStop: UnsafeMutablePointer<Bool>
    /// Per Rosenbrock lane: f(t, y), J and df/dt are to be evaluated before the next step (after an accepted step).
    let stale: UnsafeMutablePointer<Bool>
    /// Per Rosenbrock lane: 0 when every entry of its last Jacobian was finite, NaN otherwise (such a lane goes to
    /// the scalar path, which replaces those columns by differences).
    let jacobianCheck: UnsafeMutablePointer<Double>
    // per slot, in raw buffers (no copy-on-write checks in the round loop)
    let mode: UnsafeMutablePointer<Mode>
    let steps, stiffCount, nonStiffCount: UnsafeMutablePointer<Int>
    /// Per slot: the accepted steps' approach to a finite-time singularity, as on the scalar path.
    let watches: UnsafeMutablePointer<SingularityWatch>
    let runs: UnsafeMutablePointer<RunState?>
    /// Per slot: the output rows of its lane while it runs (`runs[l]` takes them back when the lane leaves).
    let laneRows: UnsafeMutablePointer<LaneRows>
    let statistics: UnsafeMutablePointer<SolverStatistics>
    let problems: UnsafeMutablePointer<SimulationProblem?>
    let indices: UnsafeMutablePointer<Int>
    let rhs: Program
    let rhsResults: UnsafeMutablePointer<Int32>
    let outputProgram: RawProgram
    /// The outputs in direct form (`DirectOutput.plan`; nil: the output program runs per row).
    let directOutputs: UnsafeMutablePointer<DirectOutput>?
    let rhsProgram: RawProgram
    let invariantProgram: RawProgram
    let triggerProgram: RawProgram
    let jacobianPositions: UnsafeMutablePointer<Int32>
    let jacobianResults: UnsafeMutablePointer<Int32>
    let eventCount: Int
    /// Trigger values after each lane's last accepted step (slot l, event e at `l * eventCount + e`).
    let triggers: UnsafeMutablePointer<Bool>

    /// Whether `Ensemble` may use the batched path for problems of `model` solved with `options`
    /// (individual problems with doses still go to the scalar path).
    static func covers(_ model: CompiledModel, _ options: SolverOptions) -> Bool {
        // delay() needs the per-run step history and trigger roots need per-step sign checks (narrow trigger
        // windows): both stay on the scalar path, as do runs with a time limit
        model.stateCount > 0 && options.fixedStepSize == nil && model.delayCount == 0 && options.timeLimit == nil
            && model.triggerRoots.code.isEmpty
            && (options.method == .auto || options.method == .dopri5
                || (options.method == .rodas5p && model.jacobianBlockCount == 0))
    }

    /// - Parameter lanes: simulations per set (rounded up to a multiple of 4; extra lanes stay empty when
    ///   the range has no more simulations).
    /// - Parameter stiffLanes: whether lanes that switch to Rodas5P continue in Rosenbrock lanes (the default
    ///   when the model has no sensitivity blocks); otherwise they continue on the scalar path.
    init(model: CompiledModel, lanes: Int, stiffLanes: Bool? = nil) {
        self.model = model
        scalar = Integrator(model: model)
        let lanes = (max(lanes, 1) + 3) / 4 * 4
        self.lanes = lanes
        slots = (stiffLanes ?? (model.jacobianBlockCount == 0)) ? 2 * lanes : lanes
        n = model.stateCount
        registerCount = model.layout.registerCount
        let vectors = 18, perSlot = 17, stiffVectors = 11
        let stiff = slots > lanes ? lanes : 0
        // batched models have states (`covers`), so the pattern exists; without Rosenbrock lanes it is empty
        let sparsePattern = (stiff > 0 ? model.modelBlockLU : nil) ?? SparseLUPattern(size: 0, entries: [])
        let sparseEntries = sparsePattern.entryCount
        let count = 2 * registerCount * lanes + registerCount * slots + vectors * n * slots + perSlot * slots
            + stiff * (stiffVectors * n + 2 * n * n + 5 + sparseEntries)
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
        waitingState = take(m)
        t = take(slots); h = take(slots); hStart = take(slots); tEnd = take(slots); tStop = take(slots); hMin = take(slots)
        error = take(slots); previousLogError = take(slots); denseT = take(slots); denseH = take(slots)
        stiffnessIndicator = take(slots); stiffnessDirection = take(slots)
        nextStep = take(slots); stepLogError = take(slots)
        largestState = take(slots); stateMagnitudeSum = take(slots); ordinaryIndicator = take(slots)
        let v = n * stiff
        s1 = take(v); s2 = take(v); s3 = take(v); s4 = take(v); s5 = take(v); s6 = take(v); s7 = take(v); s8 = take(v); stageState = take(v); dfdt = take(v)
        solveScratch = take(v); sparseValues = take(sparseEntries * stiff); sparseMask = take(stiff)
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
        unusualLanes = .allocate(capacity: lanes)
        unusualLanes.initialize(repeating: 0, count: lanes)
        rowSwaps = .allocate(capacity: max(n * stiff, 1))
        rowSwaps.initialize(repeating: (0, 0, 0), count: max(n * stiff, 1))
        substitution = SubstitutionPlan(denseOrder: stiff > 0 ? n : 0, lanes: lanes)
        sparseFactors = SparseLaneFactors(sparsePattern, lanes: lanes)
        denseChunks = .allocate(capacity: lanes)
        denseChunks.initialize(repeating: 0, count: lanes)
        stale = .allocate(capacity: lanes)
        jacobianCheck = .allocate(capacity: lanes)
        jacobianCheck.initialize(repeating: 0, count: lanes)
        stale.initialize(repeating: false, count: lanes)
        func slotBuffer<T>(_ value: T, _ count: Int) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(count, 1))
            p.initialize(repeating: value, count: max(count, 1))
            return p
        }
        mode = slotBuffer(.empty, slots)
        steps = slotBuffer(0, slots)
        stiffCount = slotBuffer(0, slots)
        nonStiffCount = slotBuffer(0, slots)
        watches = slotBuffer(SingularityWatch(), slots)
        runs = slotBuffer(nil, slots)
        laneRows = .allocate(capacity: slots)
        for l in 0..<slots { (laneRows + l).initialize(to: LaneRows()) }
        statistics = slotBuffer(SolverStatistics(), slots)
        problems = slotBuffer(nil, slots)
        indices = slotBuffer(-1, slots)
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
        if let plan = DirectOutput.plan(model.outputs) {
            let direct = UnsafeMutablePointer<DirectOutput>.allocate(capacity: max(plan.count, 1))
            direct.initialize(from: plan, count: plan.count)
            directOutputs = direct
        } else {
            directOutputs = nil
        }
        rhsProgram = RawProgram(model.rhs)
        invariantProgram = RawProgram(model.invariants)
        triggerProgram = RawProgram(model.triggers)
        eventCount = model.eventIds.count
        triggers = slotBuffer(false, slots * model.eventIds.count)
        for r in 0..<model.layout.registerCount {
            let v = model.layout.template[r]
            for l in 0..<lanes {
                registers[r * lanes + l] = v
                stiffRegisters[r * lanes + l] = v
            }
        }
    }

    deinit {
        for l in 0..<slots { laneRows[l].deallocate() }
        runs.deinitialize(count: max(slots, 1))
        problems.deinitialize(count: max(slots, 1))
        mode.deallocate(); steps.deallocate(); stiffCount.deallocate(); nonStiffCount.deallocate()
        watches.deallocate(); runs.deallocate(); laneRows.deallocate(); statistics.deallocate()
        problems.deallocate(); indices.deallocate(); triggers.deallocate()
        storage.deallocate()
        pivots.deallocate()
        hitsStop.deallocate()
        stale.deallocate()
        jacobianCheck.deallocate()
        busyLanes.deallocate()
        factoredLanes.deallocate()
        rowSwaps.deallocate()
        substitution.deallocate()
        sparseFactors.deallocate()
        denseChunks.deallocate()
        activeChunks.deallocate()
        unusualLanes.deallocate()
        rhsResults.deallocate()
        jacobianPositions.deallocate()
        jacobianResults.deallocate()
        outputProgram.deallocate()
        directOutputs?.deallocate()
        rhsProgram.deallocate()
        invariantProgram.deallocate()
        triggerProgram.deallocate()
    }
}
