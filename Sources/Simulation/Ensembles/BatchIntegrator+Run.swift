import Foundation

/// The round loop of `BatchIntegrator`: each round steps the explicit or the Rosenbrock set, then applies
/// each lane's error test, outputs, stops, method switch and hand-overs.
extension BatchIntegrator {
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
        /// With `rodas5p` every lane is a Rosenbrock lane from its start: explicit slots only hold lanes waiting
        /// for a Rosenbrock slot (without Rosenbrock slots, every simulation runs on the scalar path).
        let stiffFromStart = options.method == .rodas5p
        let blowUpThreshold = options.blowUpThreshold
        /// Puts the next batchable simulation into explicit slot l (waiting for a Rosenbrock slot with
        /// `rodas5p`), or empties slot l when it is a Rosenbrock slot (waiting lanes move in at the top of the
        /// round) or the range is exhausted.
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
                guard p.doses.allSatisfy(\.isStop), !stiffFromStart || slots > lanes else {
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
                    if stiffFromStart { mode[l] = .waiting }  // the round loop moves it into a Rosenbrock slot
                    return
                }
            }
        }
        func finish(_ l: Int, _ status: SimulationStatus) {
            runs[l]!.status = status
            laneRows[l].store(into: &runs[l]!)
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
            // the batched step's largest |component| (the state passed `checkState`: all finite)
            guard watches[l].accepted(step: h[l], largest: largestState[l], endingAt: tNew, stop: tStop[l]) else { return false }
            let (_, index) = SingularityWatch.largestMagnitude(yNew + l, count: n, stride: slots)
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
                h[l] = controller.rejected(h[l], err, rosenbrock ? .rodas5p : .dormandPrince)
                if h[l] < hMin[l] {
                    finish(l, nonFiniteVariable(yNew, l).map { .nonFinite(time: t[l], variable: $0) }
                        ?? .stepSizeUnderflow(time: t[l], stepSize: h[l]))
                }
                return nil
            }
            statistics[l].acceptedSteps += 1
            let tNew = hitsStop[l] ? tStop[l] : t[l] + h[l]
            // the batched step left the dense output and the state summary of every lane
            if let failure = checkState(l, at: tNew, blowUpThreshold: blowUpThreshold) {
                finish(l, failure)
                return nil
            }
            return tNew
        }
        while true {
            // waiting lanes (switched by `auto`, or started by `rodas5p`) take the free Rosenbrock slots (in slot
            // order), and their explicit slots are refilled
            for l in 0..<lanes where mode[l] == .waiting {
                guard let free = (lanes..<slots).first(where: { mode[$0] == .empty }) else { break }
                move(l, to: free)
                refill(l)
            }
            var explicitLanes = 0, stiffLanes = 0
            for l in 0..<lanes where mode[l] == .explicit { explicitLanes += 1 }
            if slots > lanes {
                for l in lanes..<slots where mode[l] == .rosenbrock { stiffLanes += 1 }
            }
            if explicitLanes == 0 && stiffLanes == 0 { break }
            if explicitLanes == 0 || stiffLanes > explicitLanes {
                // one Rodas5P step in every Rosenbrock lane
                prepare(lanes..<slots, .rosenbrock)
                rosenbrockStep(options.relativeTolerance)
                StepController.rodas5pNextSteps(slots - lanes, steps: h + lanes, errors: error + lanes, nextSteps: nextStep + lanes)
                let unusual = completeOrdinaryRosenbrockSteps(blowUpThreshold: blowUpThreshold)
                for u in 0..<unusual {
                    let l = unusualLanes[u]
                    guard jacobianCheck[l - lanes] == 0 else {
                        // a Jacobian entry is not finite: the scalar path replaces such columns by differences
                        // (`replaceNonFiniteJacobianColumns`) and solves the run from its start
                        deliver(indices[l], scalar.run(problems[l]!, options))
                        refill(l)
                        continue
                    }
                    let err = error[l]
                    guard let tNew = errorTest(l, err, true) else { continue }
                    if eventCount > 0 && triggersChange(l, at: tNew) {
                        deliver(indices[l], scalar.run(problems[l]!, options))  // the scalar path locates the event
                        refill(l)
                        continue
                    }
                    if approachesSingularity(l, endingAt: tNew) { continue }
                    emitOutputs(l, upTo: tNew)
                    for i in 0..<n { swap(&y[i * slots + l], &yNew[i * slots + l]) }
                    t[l] = tNew
                    stale[l - lanes] = true
                    statistics[l].rhsEvaluations += 1
                    h[l] = nextStep[l]
                    if t[l] >= tStop[l] { _ = stop(l) }
                }
                continue
            }
            // one Dormand–Prince step in every explicit lane
            prepare(0..<lanes, .explicit)
            step(stiffnessTest: auto)
            StepController.dormandPrinceNextSteps(lanes, steps: h, errors: error, previousLogErrors: previousLogError,
                                                  nextSteps: nextStep, logErrors: stepLogError)
            let unusual = completeOrdinarySteps(stiffnessTest: auto, blowUpThreshold: blowUpThreshold)
            for u in 0..<unusual {
                let l = unusualLanes[u]
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
                emitOutputs(l, upTo: tNew)
                // the scalar path switches to Rodas5P after the same step
                let switches = auto && StiffnessTest.accepted(measure: stiffness(l), damped: damped(l), step: h[l], remaining: tEnd[l] - tNew,
                                                              stiffCount: &stiffCount[l], nonStiffCount: &nonStiffCount[l])
                for i in 0..<n {
                    y[i * slots + l] = yNew[i * slots + l]
                    k1[i * slots + l] = k7[i * slots + l]
                }
                t[l] = tNew
                if switches {
                    h[l] = controller.accepted(h[l], err, .rodas5p)  // Rosenbrock's controller from a switching step on
                    // as on the scalar path: f(t, y) again after the step (Rodas5P's k1), then the stop if due
                    statistics[l].switchedToStiffAt = tNew
                    statistics[l].rhsEvaluations += 1
                    if t[l] < tStop[l] && slots == lanes { evaluateLaneRHS(l) }  // Rosenbrock lanes evaluate it batched
                } else {
                    h[l] = nextStep[l]
                    previousLogError[l] = stepLogError[l]
                }
                if t[l] >= tStop[l] && !stop(l) { continue }
                if switches {
                    // the state before this step, which the batched steps overwrite in `dense0`
                    for i in 0..<n { waitingState[i * slots + l] = dense0[i * slots + l] }
                    if slots > lanes {
                        mode[l] = .waiting
                    } else {
                        deliver(indices[l], scalar.run(problems[l]!, options, resuming: stiffSnapshot(l)))
                        refill(l)
                    }
                }
            }
        }
    }
}
