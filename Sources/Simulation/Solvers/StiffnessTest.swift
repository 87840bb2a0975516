/// `auto`'s switch from Dormand–Prince to Rodas5P, decided after each accepted Dormand–Prince step from Hairer's
/// stiffness measure h ρ̂, where ρ̂ = |f(y7) − f(y6)| / |y7 − y6| (1/time) estimates the Jacobian's largest
/// |eigenvalue| along the step (Hairer & Wanner, Solving ODEs II, IV.2). The run switches when either
/// - the step sits at Dormand–Prince's stability boundary (h ρ̂ > 3.25) on `consecutive` accepted steps, with no
///   `reset` non-stiff steps in between (Hairer's test), or
/// - the measured mode is damped ((f(y7) − f(y6)) · (y7 − y6) < 0) and stability alone would cost more than
///   `stabilityStepLimit` steps over the rest of the span (ρ̂ · (t_end − t) > 3.3 · `stabilityStepLimit`): stiff
///   models with fast modes (Boehm, Fujita: ρ̂ (t_end − t) ≈ 1e5–1e8 within the first steps, against 10–200 for
///   non-stiff immune models) switch after one or two steps instead of walking up to the stability boundary
///   first. A growing mode (a run approaching a finite-time blow-up, as Crauste's at perturbed parameters) is
///   fast but not stiff, and Rodas5P would not help it.
/// The scalar and the batched path call the same function, so both switch after the same step.
enum StiffnessTest {
    static let boundary = 3.25
    static let consecutive = 15
    static let reset = 6
    /// Dormand–Prince steps that stability alone may cost over the rest of the span before the run switches
    /// (a Rodas5P step costs about three Dormand–Prince steps; stiff models need tens to hundreds of them).
    static let stabilityStepLimit = 3000.0

    /// Updates the counters with the measure h ρ̂ of an accepted step of size `step` (> 0) that ends `remaining`
    /// (model time) before the last output, and whether its mode is `damped`; true when the run switches to
    /// Rodas5P after this step.
    @inline(__always)
    static func accepted(measure: Double, damped: Bool, step: Double, remaining: Double,
                         stiffCount: inout Int, nonStiffCount: inout Int) -> Bool {
        if switchesAtOnce(measure: measure, damped: damped, step: step, remaining: remaining) { return true }
        if measure > boundary {
            nonStiffCount = 0
            stiffCount += 1
            return stiffCount >= consecutive
        }
        nonStiffCount += 1
        if nonStiffCount >= reset { stiffCount = 0 }
        return false
    }

    /// What `accepted` returns for these arguments, without updating the counters.
    @inline(__always)
    static func switches(measure: Double, damped: Bool, step: Double, remaining: Double, stiffCount: Int) -> Bool {
        switchesAtOnce(measure: measure, damped: damped, step: step, remaining: remaining)
            || (measure > boundary && stiffCount + 1 >= consecutive)
    }

    /// The immediate switch: a damped mode whose stability alone would cost more than `stabilityStepLimit` steps.
    @inline(__always)
    private static func switchesAtOnce(measure: Double, damped: Bool, step: Double, remaining: Double) -> Bool {
        damped && measure * remaining > 3.3 * stabilityStepLimit * step
    }
}
