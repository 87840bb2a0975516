/// The common case of the round loop, completed in one tight pass per set: a lane's step is ordinary when it is
/// accepted, ends before the lane's next stop, leaves a finite state within the blow-up threshold, takes no anchor of
/// the lane's singularity watch, in a model without events (and, for an explicit lane, does not switch `auto`'s
/// stiffness test; for a Rosenbrock lane, had a finite Jacobian). Such a lane gets exactly the updates the per-lane
/// path of `run` would make, without its calls; the other lanes are listed, in slot order, at the start of
/// `unusualLanes` for the per-lane path, which then runs as if the ordinary lanes had gone first.
extension BatchIntegrator {
    /// Completes the explicit lanes' ordinary Dormand–Prince steps (statistics, watch, outputs, stiffness counters,
    /// state, f(t, y), time, step size, controller memory); the state and f(t, y) are taken for all lanes at once.
    /// - Returns: how many explicit lanes `unusualLanes` lists.
    func completeOrdinarySteps(stiffnessTest: Bool, blowUpThreshold: Double) -> Int {
        var unusual = 0
        for l in 0..<lanes {
            ordinaryIndicator[l] = 0
            guard mode[l] == .explicit else { continue }
            let step = h[l], tNew = t[l] + step
            guard isOrdinary(l, endingAt: tNew, blowUpThreshold: blowUpThreshold),
                  !stiffnessTest || !StiffnessTest.switches(measure: stiffness(l), damped: damped(l), step: step,
                                                            remaining: tEnd[l] - tNew, stiffCount: stiffCount[l])
            else {
                unusualLanes[unusual] = l
                unusual += 1
                continue
            }
            ordinaryIndicator[l] = 1
            statistics[l].rhsEvaluations += 6
            acceptOrdinary(l, endingAt: tNew)
            if stiffnessTest {
                _ = StiffnessTest.accepted(measure: stiffness(l), damped: damped(l), step: step, remaining: tEnd[l] - tNew,
                                           stiffCount: &stiffCount[l], nonStiffCount: &nonStiffCount[l])
            }
            t[l] = tNew
            h[l] = nextStep[l]
            previousLogError[l] = stepLogError[l]
        }
        if lanes == 16 {
            takeOrdinarySteps(SIMD16<Double>.self, from: 0, swapping: false)
        } else {
            takeOrdinarySteps(SIMD4<Double>.self, from: 0, swapping: false)
        }
        return unusual
    }

    /// Completes the Rosenbrock lanes' ordinary Rodas5P steps (statistics, watch, outputs, state, time, f(t, y), J
    /// and df/dt marked stale, step size); y and yNew are swapped for all lanes at once, as the per-lane path swaps them.
    /// - Returns: how many Rosenbrock lanes `unusualLanes` lists.
    func completeOrdinaryRosenbrockSteps(blowUpThreshold: Double) -> Int {
        var unusual = 0
        for l in lanes..<slots {
            ordinaryIndicator[l] = 0
            guard mode[l] == .rosenbrock else { continue }
            let tNew = t[l] + h[l]
            guard jacobianCheck[l - lanes] == 0, isOrdinary(l, endingAt: tNew, blowUpThreshold: blowUpThreshold) else {
                unusualLanes[unusual] = l
                unusual += 1
                continue
            }
            ordinaryIndicator[l] = 1
            acceptOrdinary(l, endingAt: tNew)
            t[l] = tNew
            stale[l - lanes] = true
            statistics[l].rhsEvaluations += 1
            h[l] = nextStep[l]
        }
        if lanes == 16 {
            takeOrdinarySteps(SIMD16<Double>.self, from: lanes, swapping: true)
        } else {
            takeOrdinarySteps(SIMD4<Double>.self, from: lanes, swapping: true)
        }
        return unusual
    }

    /// Whether lane l's step, ending at `tNew`, passes the checks common to both sets (without changing anything).
    @inline(__always)
    private func isOrdinary(_ l: Int, endingAt tNew: Double, blowUpThreshold: Double) -> Bool {
        let largest = largestState[l]
        return error[l] <= 1 && !hitsStop[l] && eventCount == 0 && stateMagnitudeSum[l].isFinite
            && largest <= blowUpThreshold && !watches[l].takesAnchor(step: h[l], largest: largest)
    }

    /// The accepted ordinary step's bookkeeping common to both sets: the count, the watch and the outputs up to `tNew`.
    @inline(__always)
    private func acceptOrdinary(_ l: Int, endingAt tNew: Double) {
        statistics[l].acceptedSteps += 1
        watches[l].record(step: h[l], largest: largestState[l])
        if laneRows[l].pendingTime <= tNew { emitInterpolated(l, before: tNew, includingEnd: true) }
    }

    /// In the set's lanes from slot `first` that `ordinaryIndicator` marks: y ← yNew and then, for explicit lanes,
    /// k1 ← k7 (f at the step's end), or, `swapping` (Rosenbrock lanes), yNew ← the old y.
    @inline(__always)
    private func takeOrdinarySteps<V: LaneChunk>(_: V.Type, from first: Int, swapping: Bool) {
        let y = self.y, yNew = self.yNew, k1 = self.k1, k7 = self.k7, taken = self.ordinaryIndicator
        for i in 0..<n {
            var l = first
            while l < first + lanes {
                let k = i * slots + l, indicator = taken.chunk(l, V.self)
                let old = y.chunk(k, V.self), new = yNew.chunk(k, V.self)
                y.setChunk(k, old.selecting(new, where: indicator))
                if swapping {
                    yNew.setChunk(k, new.selecting(old, where: indicator))
                } else {
                    k1.setChunk(k, k1.chunk(k, V.self).selecting(k7.chunk(k, V.self), where: indicator))
                }
                l += V.scalarCount
            }
        }
    }
}
