/// Forward sensitivities across a switching time of the right-hand side.
extension Integrator {
    /// At a stop at time `t` that is a switching time τ = τ(θ) of a sensitivity system (`CompiledModel.breakpoints`):
    /// the state is continuous there but f jumps, so moving τ by dτ moves the jump and the sensitivities jump by
    /// s_p ← s_p + (f⁻ − f⁺) · dτ/dθ_p, with f⁻ and f⁺ the model's right-hand side just before and just after τ
    /// (at the neighbouring doubles, the sides the steps that end and start at τ see) and dτ/dθ_p from
    /// `CompiledModel.breakpointSensitivities`. The sensitivities at τ itself are the ones after the jump (right-
    /// continuous, like the right-hand side of `piecewise(a, time < τ, b)`). Where several switching times coincide
    /// the model is not differentiable in θ; the first of them in `breakpoints` order gives dτ/dθ.
    /// Nothing happens for models without sensitivities or at a stop that is not a switching time.
    func applySwitchingJumps(at t: Double) {
        let directions = model.jacobianBlockCount
        guard directions > 0, let position = breakpointTimes.firstIndex(of: t) else { return }
        let m = model.jacobianBlockSize, k = breakpointSources[position]
        let clamp = (stageTimeMin, stageTimeMax)
        (stageTimeMin, stageTimeMax) = (-.infinity, .infinity)
        evaluateRHS(t.nextDown, y, s7)
        evaluateRHS(t.nextUp, y, s8)
        (stageTimeMin, stageTimeMax) = clamp
        for p in 0..<directions {
            let dtau = switchingTimeDerivatives[k * directions + p]
            guard dtau != 0 else { continue }
            for i in 0..<m { y[m + p * m + i] += (s7[i] - s8[i]) * dtau }
        }
        jacobianIsCurrent = false
    }
}
