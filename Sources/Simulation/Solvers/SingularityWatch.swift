/// Recognises the approach to a finite-time singularity (a pole, as dy/dt = y² has at t = 1/y(0)) from the
/// accepted steps, so that such a simulation ends as `.blowUp` after about as many steps as a successful one,
/// instead of after the hundreds of ever smaller steps it takes until the step size underflows (issue #2: a
/// failure should cost no more than a success).
///
/// Near a pole t* the solution is self-similar: every step covers about the same fraction c of the remaining
/// distance, h = c·(t* − t), so the step sizes fall geometrically while the states grow without bound. The
/// watch follows runs of consecutive accepted steps in which the step size fell and the largest |state| rose,
/// and notes where the step size first fell below each further decade of the run's first step (anchors). It
/// reports the blow-up when, in one run,
/// - the step size fell by three decades (`decades`) and the largest |state| rose by the same factor,
/// - the last three anchors fit h = c·(t* − t): the time between two anchors is proportional to the fall of
///   the step size between them (the two intervals' ratios agree within `agreement`), with c ≥ `minimumFraction`
///   (a pole is approached in a bounded number of steps per decade), and
/// - the singularity t* this fit gives lies before the next stop.
///
/// Smooth dynamics do not fit: exponential growth keeps the step size; steps limited by a stiffness that grows
/// with the states shrink slowly over long times (the anchors are ever further apart, and c is tiny); a steep
/// but bounded rise lets the steps grow again. The scalar and batched integrators update the watch at the same
/// point of an accepted step (after the state and event checks, before the outputs), so both report the same
/// status.
struct SingularityWatch: Sendable {
    /// Decades the step size must fall (and factors of ten the largest |state| must rise) within one run.
    static let decades = 3
    /// The rise of the largest |state| those decades ask for, 10^decades.
    static let growth = 1e3
    /// Largest ratio between the measured and the pole-predicted spacing of the anchors (and its inverse).
    static let agreement = 1.5
    /// Smallest fraction of the remaining distance to the singularity that one step may cover.
    static let minimumFraction = 1e-3

    private struct Anchor: Sendable {
        var start = 0.0, step = 0.0
    }

    /// Whether the last accepted step belonged to a run (a step size that fell, a largest |state| that rose).
    private var inRun = false
    private var firstLargest = 0.0, lastStep = 0.0, lastLargest = 0.0
    /// The step size below which the next anchor is taken.
    private var nextAnchorStep = 0.0
    private var anchors = (Anchor(), Anchor(), Anchor())
    private var anchorCount = 0

    init() {}

    /// Records an accepted step of size `h` ending at `t` whose largest state magnitude is `largest`; true when
    /// the steps so far show a singularity before `tStop`.
    mutating func accepted(step h: Double, largest: Double, endingAt t: Double, stop tStop: Double) -> Bool {
        let anchoring = takesAnchor(step: h, largest: largest)
        record(step: h, largest: largest)
        guard anchoring else { return false }
        while h <= nextAnchorStep && nextAnchorStep > 0 { nextAnchorStep *= 0.1 }
        anchors = (anchors.1, anchors.2, Anchor(start: t - h, step: h))
        anchorCount += 1
        guard anchorCount >= Self.decades, firstLargest > 0,
              largest >= Self.growth * firstLargest else { return false }
        let (a, b, c) = anchors
        // h = c (t* − t) makes the time between anchors proportional to the fall of the step size between them
        let firstGap = b.start - a.start, secondGap = c.start - b.start
        let firstFall = a.step - b.step, secondFall = b.step - c.step
        guard firstGap > 0, secondGap > 0, firstFall > 0, secondFall > 0 else { return false }
        let ratio = (secondGap / firstGap) / (secondFall / firstFall)
        guard ratio <= Self.agreement && ratio >= 1 / Self.agreement else { return false }
        let fraction = secondFall / secondGap
        guard fraction >= Self.minimumFraction else { return false }
        return c.start + c.step / fraction < tStop
    }

    /// Whether an accepted step of size `h` whose largest state magnitude is `largest` takes an anchor, so that
    /// `accepted` does more than `record` (every other step only updates the run and reports nothing).
    @inline(__always)
    func takesAnchor(step h: Double, largest: Double) -> Bool {
        h <= (continuesRun(step: h, largest: largest) ? nextAnchorStep : 0.1 * h)
    }

    /// `accepted` for a step that takes no anchor (`takesAnchor` is false): continues or restarts the run.
    @inline(__always)
    mutating func record(step h: Double, largest: Double) {
        if !continuesRun(step: h, largest: largest) {
            inRun = true
            firstLargest = largest
            nextAnchorStep = 0.1 * h
            anchorCount = 0
        }
        lastStep = h
        lastLargest = largest
    }

    @inline(__always)
    private func continuesRun(step h: Double, largest: Double) -> Bool {
        inRun && h < lastStep && largest > lastLargest
    }

    /// Forgets the current run (after an event changed the state discontinuously).
    mutating func reset() { inRun = false }

    /// The largest |x| among `count` values spaced `stride` apart from `base`, and the index of the first that
    /// has it (the scalar path's state and a batched lane's column give the same answer this way).
    static func largestMagnitude(_ base: UnsafePointer<Double>, count: Int, stride: Int) -> (largest: Double, index: Int) {
        var largest = 0.0, index = 0
        for i in 0..<count where abs(base[i * stride]) > largest {
            largest = abs(base[i * stride])
            index = i
        }
        return (largest, index)
    }
}
