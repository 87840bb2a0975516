import Foundation

/// Integrates one compiled model: owns every buffer a simulation needs (allocated once, reused across runs),
/// advances the state with Dormand–Prince, Rodas5P or RODAS4, locates events on the dense output, applies doses
/// at exact stops and records outputs by interpolation.
///
/// Not thread-safe: each thread uses its own integrator. `run` allocates only the result arrays and
/// (when events fire) small per-event records.
final class Integrator {
    let model: CompiledModel
    let n: Int
    private let storage: UnsafeMutablePointer<Double>
    private let storageCount: Int
    let registers: UnsafeMutablePointer<Double>
    let initRegisters: UnsafeMutablePointer<Double>
    let pivots: UnsafeMutablePointer<Int32>

    var y, yNew, tmp, k1, k2, k3, k4, k5, k6, k7, stiffProbe: UnsafeMutablePointer<Double>
    var s1, s2, s3, s4, s5, s6, s7, s8, dense0, dense1, dense2, dense3, dense4: UnsafeMutablePointer<Double>
    var jac, lu, dfdt, infusionRate, absoluteTolerance, triggerValues, eventScratch: UnsafeMutablePointer<Double>

    let rhsProgram: RawProgram
    let jacobianProgram: RawProgram
    let jacobianPositions: UnsafeMutablePointer<Int32>
    /// The sparse `A_p` blocks of a sensitivity-augmented model (nil without sensitivities).
    let sensitivityBlocks: SensitivityJacobianBlocks?
    /// The sparse LU of the model block (every model with states), and whether the current step's
    /// factors are the sparse ones (false after a pivot failed the threshold test: the dense LU is used then).
    let sparseLU: SparseLU?
    /// The native right-hand side of a sensitivity-augmented model (nil without sensitivities).
    let sensitivityRHS: SensitivityRHS?
    var usesSparseFactors = false
    /// Whether to try the sparse LU at all (tests set false to compare with the dense path).
    var prefersSparseFactors = true
    let outputProgram: RawProgram
    let triggerProgram: RawProgram
    let rootProgram: RawProgram
    /// Signs (0 negative, 1 zero, 2 positive) of the trigger roots at the start of the current step.
    var rootSigns: UnsafeMutablePointer<Double>
    /// `delay(x, tau)` support: programs for the x's and tau's, their values, the interpolated past state,
    /// and the history of accepted steps (records of `historyRecordSize` doubles, see `Integrator+Delays`).
    let delayCount: Int
    let delayArgumentProgram: RawProgram
    let delayLagProgram: RawProgram
    var delayLagValues, delayValues, delayState, savedConstants: UnsafeMutablePointer<Double>
    var history: [Double] = []
    var historyStarts: [Double] = []
    /// The smallest positive lag seen at the last evaluation (steps are kept no longer).
    var minimumLag = Double.infinity
    let invariantProgram: RawProgram
    let breakpointProgram: RawProgram
    /// The run's right-hand-side switching times (`CompiledModel.breakpoints`), ascending, finite ones only.
    var breakpointTimes: [Double] = []
    /// For each of `breakpointTimes`: its result index k in `CompiledModel.breakpoints`.
    var breakpointSources: [Int] = []
    let breakpointSensitivityProgram: RawProgram
    /// Sensitivity systems: dτ_k/dθ_p at k·P + p (`CompiledModel.breakpointSensitivities`), for the current parameters.
    var switchingTimeDerivatives: [Double] = []
    /// Stage times are clamped into this range: just after a switching time the step starts from (its first
    /// stage sees the new branch) and just before one it ends at (its last stages see the old branch).
    var stageTimeMin = -Double.infinity, stageTimeMax = Double.infinity

    var t = 0.0
    var relativeTolerance = 1e-6
    var jacobianIsCurrent = false
    var statistics = SolverStatistics()
    /// Whether the run takes Rosenbrock steps now (`rodas4`, `rodas5p`, or `auto` after its switch), and which method.
    var useRodas = false
    var stiffMethod = StepMethod.rodas5p
    /// The method of the next step.
    var currentMethod: StepMethod { useRodas ? stiffMethod : .dormandPrince }
    /// The method of the last accepted step, whose continuous extension `interpolate` evaluates.
    var denseForm = StepMethod.dormandPrince
    var denseT = 0.0
    var denseH = 1.0

    init(model: CompiledModel) {
        self.model = model
        n = model.stateCount
        let nE = max(model.eventIds.count, 1)
        let vectors = 26  // y, yNew, tmp, k1...k7, stiffProbe, s1...s8, dense0...dense4, infusionRate, absoluteTolerance
        delayCount = model.delayCount
        let m = model.jacobianBlockSize
        storageCount = model.layout.registerCount + model.initLayout.registerCount + vectors * max(n, 1)
            + 2 * max(m * m, 1) + max(n, 1) + 2 * nE
            + 2 * delayCount + max(n, 1) + (model.delayCount > 0 ? model.layout.parameterCount : 0) + model.triggerRoots.results.count + 64
        storage = .allocate(capacity: storageCount)
        storage.initialize(repeating: 0, count: storageCount)
        pivots = .allocate(capacity: max(m, 1))
        var cursor = storage
        func take(_ count: Int) -> UnsafeMutablePointer<Double> {
            defer { cursor += count }
            return cursor
        }
        registers = take(model.layout.registerCount)
        initRegisters = take(model.initLayout.registerCount)
        let v = max(n, 1)
        y = take(v); yNew = take(v); tmp = take(v); k1 = take(v); k2 = take(v); k3 = take(v); k4 = take(v)
        k5 = take(v); k6 = take(v); k7 = take(v); stiffProbe = take(v)
        s1 = take(v); s2 = take(v); s3 = take(v); s4 = take(v); s5 = take(v); s6 = take(v); s7 = take(v); s8 = take(v)
        dense0 = take(v); dense1 = take(v); dense2 = take(v); dense3 = take(v); dense4 = take(v)
        jac = take(max(m * m, 1)); lu = take(max(m * m, 1)); dfdt = take(v)
        infusionRate = take(v)
        absoluteTolerance = take(v)
        triggerValues = take(nE)
        eventScratch = take(nE)
        delayLagValues = take(delayCount)
        rootSigns = take(model.triggerRoots.results.count)
        delayValues = take(delayCount)
        delayState = take(max(n, 1))
        savedConstants = take(model.delayCount > 0 ? model.layout.parameterCount : 0)
        _ = take(64)
        precondition(cursor <= storage + storageCount, "integrator workspace accounting")
        rhsProgram = RawProgram(model.rhs)
        jacobianProgram = RawProgram(model.jacobian)
        outputProgram = RawProgram(model.outputs)
        triggerProgram = RawProgram(model.triggers)
        rootProgram = RawProgram(model.triggerRoots)
        delayArgumentProgram = RawProgram(model.delayArguments)
        delayLagProgram = RawProgram(model.delayLags)
        invariantProgram = RawProgram(model.invariants)
        breakpointProgram = RawProgram(model.breakpoints)
        breakpointSensitivityProgram = RawProgram(model.breakpointSensitivities)
        sensitivityBlocks = model.jacobianBlockCount > 0 ? SensitivityJacobianBlocks(model: model) : nil
        sparseLU = model.modelBlockLU.map { SparseLU($0, rightHandSides: model.jacobianBlockCount) }
        sensitivityRHS = SensitivityRHS(model: model)
        jacobianPositions = .allocate(capacity: max(model.jacobianPositions.count, 1))
        model.jacobianPositions.withUnsafeBufferPointer {
            if !$0.isEmpty { jacobianPositions.initialize(from: $0.baseAddress!, count: $0.count) }
        }
        model.layout.template.withUnsafeBufferPointer { registers.update(from: $0.baseAddress!, count: $0.count) }
        model.initLayout.template.withUnsafeBufferPointer { initRegisters.update(from: $0.baseAddress!, count: $0.count) }
    }

    deinit {
        storage.deallocate()
        pivots.deallocate()
        for p in [rhsProgram, jacobianProgram, outputProgram, triggerProgram, rootProgram, delayArgumentProgram, delayLagProgram,
                  invariantProgram, breakpointProgram, breakpointSensitivityProgram] { p.deallocate() }
        jacobianPositions.deallocate()
    }

    // MARK: Model evaluation

    @inline(__always)
    func loadState(_ t: Double, _ state: UnsafePointer<Double>) {
        registers[0] = t
        (registers + 1).update(from: state, count: n)
        if delayCount > 0 { fillDelays(t, state) }
    }

    /// `t` clamped to the current step's side of the switching times it starts or ends at (`stageTimeMin`,
    /// `stageTimeMax`; ±infinity away from them).
    @inline(__always)
    func stageTime(_ t: Double) -> Double { Swift.min(Swift.max(t, stageTimeMin), stageTimeMax) }

    /// Computes this run's switching times from the current parameters (after the invariant program).
    func updateBreakpoints() {
        breakpointTimes.removeAll(keepingCapacity: true)
        breakpointSources.removeAll(keepingCapacity: true)
        guard breakpointProgram.resultCount > 0 else { return }
        breakpointProgram.run(registers)
        let registers = self.registers, results = breakpointProgram.results
        for k in 0..<breakpointProgram.resultCount where registers[Int(results[k])].isFinite { breakpointSources.append(k) }
        breakpointSources.sort { registers[Int(results[$0])] < registers[Int(results[$1])] }
        for k in breakpointSources { breakpointTimes.append(registers[Int(results[k])]) }
        switchingTimeDerivatives.removeAll(keepingCapacity: true)
        guard breakpointSensitivityProgram.resultCount > 0 else { return }
        breakpointSensitivityProgram.run(registers)
        for r in 0..<breakpointSensitivityProgram.resultCount {
            switchingTimeDerivatives.append(registers[Int(breakpointSensitivityProgram.results[r])])
        }
    }

    /// The first switching time after `t` (infinity when none).
    func nextBreakpoint(after t: Double) -> Double {
        for time in breakpointTimes where time > t { return time }
        return .infinity
    }

    /// Sets the stage-time clamp for a step interval from `t` to `stop`.
    func clampStages(from t: Double, to stop: Double) {
        let after = breakpointTimes.contains(t) ? t.nextUp : -Double.infinity
        let before = breakpointTimes.contains(stop) ? stop.nextDown : Double.infinity
        (stageTimeMin, stageTimeMax) = after <= before ? (after, before) : (-Double.infinity, Double.infinity)
    }

    /// dy = f(t, state) + active infusion rates (sensitivity-augmented models through `SensitivityRHS`).
    @inline(__always)
    func evaluateRHS(_ t: Double, _ state: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        statistics.rhsEvaluations += 1
        let t = stageTime(t)
        if let split = sensitivityRHS {
            registers[0] = t
            (registers + 1).update(from: state, count: split.stateCount)
            split.evaluate(registers, state, dy)
            for i in 0..<n { dy[i] += infusionRate[i] }
            return
        }
        loadState(t, state)
        rhsProgram.run(registers)
        let results = rhsProgram.results
        for i in 0..<n { dy[i] = registers[Int(results[i])] + infusionRate[i] }
    }

    /// Jacobian d f / d y at (t, state): dense row-major `m × m` for the model's own states (all states
    /// without sensitivities); with sensitivities the `A_p` blocks go to `sensitivityBlocks`.
    func evaluateJacobian(_ t: Double, _ state: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        loadState(stageTime(t), state)
        jacobianProgram.run(registers)
        let m = model.jacobianBlockSize
        out.update(repeating: 0, count: m * m)
        let results = jacobianProgram.results
        let modelEntries = sensitivityBlocks?.modelEntryCount ?? jacobianProgram.resultCount
        for k in 0..<modelEntries { out[Int(jacobianPositions[k])] = registers[Int(results[k])] }
        sensitivityBlocks?.evaluate(registers, results + modelEntries, state)
        statistics.jacobianEvaluations += 1
    }

    /// d f / d t at (t, state) (zero for autonomous models). With `delay` terms, whose time derivative
    /// is not local, by a forward difference (uses `s6` as scratch).
    func evaluateTimeDerivative(_ t: Double, _ state: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        if delayCount > 0 {
            let delta = max(abs(t), 1) * Double.ulpOfOne.squareRoot()
            evaluateRHS(t + delta, state, out)
            evaluateRHS(t, state, s6)
            for i in 0..<n { out[i] = (out[i] - s6[i]) / delta }
            return
        }
        guard let program = model.timeDerivative else {
            out.update(repeating: 0, count: n)
            return
        }
        loadState(stageTime(t), state)
        program.run(registers)
        for i in 0..<n { out[i] = registers[Int(program.results[i])] }
    }

    /// Evaluates `program` at (t, state) and returns a pointer to its registers (valid until the next call).
    @inline(__always)
    func evaluate(_ program: Program, _ t: Double, _ state: UnsafePointer<Double>) {
        loadState(t, state)
        program.run(registers)
    }

    /// The continuous extension of the last accepted step at time `time`.
    @inline(__always)
    func interpolate(_ time: Double, into out: UnsafeMutablePointer<Double>) {
        let theta = (time - denseT) / denseH
        let rest = 1 - theta
        switch denseForm {
        case .rodas5p:
            for i in 0..<n { out[i] = StepMethod.rodas5pValue(theta, rest, dense0[i], dense1[i], dense2[i], dense3[i], dense4[i]) }
        case .rodas4:
            for i in 0..<n { out[i] = StepMethod.rodas4Value(theta, rest, dense0[i], dense1[i], dense2[i], dense3[i]) }
        case .dormandPrince:
            for i in 0..<n {
                out[i] = StepMethod.dormandPrinceValue(theta, rest, dense0[i], dense1[i], dense2[i], dense3[i], dense4[i])
            }
        }
    }
}
