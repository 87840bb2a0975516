/// Runs one local optimiser and, when it stalls, continues with a second from where the first stopped.
///
/// A **stall** is a stop on the step tolerance while the projected gradient is still above
/// `stallGradient` (default √`gradientTolerance`): the method takes ever shorter steps although the point is not
/// first-order optimal. Projected Levenberg–Marquardt does this on badly scaled problems with wide bounds
/// (Crauste_CellSystems2017: 71 of 100 starts stopped so with gradients of 1–9), where the trust-region reflective
/// method's Coleman–Li scaling keeps making progress; on other problems (Boehm_JProteomeRes2014) the
/// Levenberg–Marquardt iteration with its secant term finds the best basin more often. The default pairs them in
/// that order. The second run gets the iterations and evaluations the first left over; the result's counts and
/// seconds cover both runs, its start is the first run's.
public struct StalledStartRecovery<First: LocalOptimiser, Second: ConfigurableOptimiser>: LocalOptimiser {
    public var first: First
    public var second: Second
    /// Projected-gradient max-norm above which a step-tolerance stop counts as a stall.
    public var stallGradient: Double

    public var options: OptimisationOptions { first.options }

    public init(first: First, second: Second, stallGradient: Double? = nil) {
        self.first = first
        self.second = second
        self.stallGradient = stallGradient ?? first.options.gradientTolerance.squareRoot()
    }

    public func minimise<O: ObjectiveFunction>(_ objective: O, from start: [Double]) -> OptimisationResult {
        let a = first.minimise(objective, from: start)
        guard a.exit == .stepTolerance, a.value.isFinite, a.gradientNorm > stallGradient,
              a.iterations < options.maxIterations,
              a.evaluations + a.residualEvaluations < options.maxEvaluations else { return a }
        var rest = second
        rest.options.maxIterations = options.maxIterations - a.iterations
        rest.options.maxEvaluations = options.maxEvaluations - a.evaluations - a.residualEvaluations
        let b = rest.minimise(objective, from: a.x)
        // The better end point, with the start, counts and time of both runs.
        var combined = b.value <= a.value ? b : a
        combined.start = a.start
        combined.startValue = a.startValue
        combined.iterations = a.iterations + b.iterations
        combined.evaluations = a.evaluations + b.evaluations
        combined.residualEvaluations = a.residualEvaluations + b.residualEvaluations
        combined.seconds = a.seconds + b.seconds
        return combined
    }
}

/// An optimiser whose options can be changed (for the second run's remaining budget).
extension ReflectiveTrustRegion: ConfigurableOptimiser {}
extension TrustRegionLeastSquares: ConfigurableOptimiser {}
extension ProjectedQuasiNewton: ConfigurableOptimiser {}

/// A local optimiser with settable options.
public protocol ConfigurableOptimiser: LocalOptimiser {
    var options: OptimisationOptions { get set }
}
