/// The common case of the round loop's explicit lanes, completed in one tight pass.
extension BatchIntegrator {
    /// Completes every explicit lane whose last Dormand–Prince step is ordinary: accepted, ending before the
    /// lane's next stop, with a finite state within `blowUpThreshold`, in a model without events, taking no anchor
    /// of the lane's singularity watch and not switching `auto`'s stiffness test (checked only with
    /// `stiffnessTest`). Such a lane gets exactly the updates the per-lane path of `run` would make (statistics,
    /// watch, outputs, stiffness counters, state, f(t, y), time, step size, controller memory); the state and
    /// f(t, y) are copied for all lanes at once. The other explicit lanes are listed, in slot order, at the start
    /// of `unusualLanes` for the per-lane path, which then runs as if these lanes had gone first.
    /// - Returns: how many lanes `unusualLanes` lists.
    func completeOrdinarySteps(stiffnessTest: Bool, blowUpThreshold: Double) -> Int {
        var unusual = 0
        for l in 0..<lanes {
            ordinaryIndicator[l] = 0
            guard mode[l] == .explicit else { continue }
            let step = h[l], tNew = t[l] + step, largest = largestState[l]
            guard error[l] <= 1, !hitsStop[l], eventCount == 0,
                  stateMagnitudeSum[l].isFinite, largest <= blowUpThreshold,
                  !watches[l].takesAnchor(step: step, largest: largest),
                  !stiffnessTest || !StiffnessTest.switches(measure: stiffness(l), damped: damped(l), step: step,
                                                            remaining: tEnd[l] - tNew, stiffCount: stiffCount[l])
            else {
                unusualLanes[unusual] = l
                unusual += 1
                continue
            }
            ordinaryIndicator[l] = 1
            statistics[l].rhsEvaluations += 6
            statistics[l].acceptedSteps += 1
            watches[l].record(step: step, largest: largest)
            if laneRows[l].pendingTime <= tNew { emitInterpolated(l, before: tNew, includingEnd: true) }
            if stiffnessTest {
                _ = StiffnessTest.accepted(measure: stiffness(l), damped: damped(l), step: step, remaining: tEnd[l] - tNew,
                                           stiffCount: &stiffCount[l], nonStiffCount: &nonStiffCount[l])
            }
            t[l] = tNew
            h[l] = nextStep[l]
            previousLogError[l] = stepLogError[l]
        }
        if lanes == 16 {
            takeOrdinarySteps(SIMD16<Double>.self)
        } else {
            takeOrdinarySteps(SIMD4<Double>.self)
        }
        return unusual
    }

    /// y ← yNew and k1 ← k7 (f at the step's end) in the lanes that `ordinaryIndicator` marks.
    @inline(__always)
    private func takeOrdinarySteps<V: LaneChunk>(_: V.Type) {
        let y = self.y, yNew = self.yNew, k1 = self.k1, k7 = self.k7, taken = self.ordinaryIndicator
        for i in 0..<n {
            var l = 0
            while l < lanes {
                let k = i * slots + l, indicator = taken.chunk(l, V.self)
                y.setChunk(k, y.chunk(k, V.self).selecting(yNew.chunk(k, V.self), where: indicator))
                k1.setChunk(k, k1.chunk(k, V.self).selecting(k7.chunk(k, V.self), where: indicator))
                l += V.scalarCount
            }
        }
    }
}
