/// Stopping rules shared by the local optimisers.
///
/// An optimiser stops at the first of: the projected gradient's largest entry falls to `gradientTolerance`
/// (the first-order optimality test for a box-constrained problem: ‖P(x − ∇f) − x‖∞, so a component
/// pushing against an active bound counts as zero); an accepted step lowers the objective by no more than
/// `functionTolerance · |f|`; a step is no longer than `stepTolerance · (‖x‖ + stepTolerance)`;
/// `maxIterations` iterations; `maxEvaluations` objective evaluations.
public struct OptimisationOptions: Sendable, Equatable, Codable {
    /// Absolute tolerance on the projected gradient's max-norm (objective units per parameter unit).
    public var gradientTolerance: Double
    /// Relative tolerance on the decrease of the objective in one accepted step.
    public var functionTolerance: Double
    /// Relative tolerance on the step length (Euclidean norm on the optimisation scale).
    public var stepTolerance: Double
    /// Most iterations (accepted or rejected trust-region steps; line searches count once).
    public var maxIterations: Int
    /// Most calls of `value(at:gradient:)` plus `residuals(at:jacobian:)`.
    public var maxEvaluations: Int

    public init(gradientTolerance: Double = 1e-6, functionTolerance: Double = 1e-10, stepTolerance: Double = 1e-10,
                maxIterations: Int = 1000, maxEvaluations: Int = 10_000) {
        self.gradientTolerance = gradientTolerance
        self.functionTolerance = functionTolerance
        self.stepTolerance = stepTolerance
        self.maxIterations = maxIterations
        self.maxEvaluations = maxEvaluations
    }
}

/// Why a local optimisation stopped.
public enum OptimisationExit: String, Sendable, Equatable, Codable, CaseIterable {
    /// The projected gradient's max-norm fell to the tolerance (a first-order point).
    case gradientTolerance
    /// An accepted step changed the objective by less than the relative tolerance, or (quasi-Newton) the
    /// decrease still available is below the objective's rounding error.
    case functionTolerance
    /// The step became shorter than the relative step tolerance.
    case stepTolerance
    /// The iteration limit was reached: raise `maxIterations` or check the problem's scaling.
    case maxIterations
    /// The evaluation limit was reached.
    case maxEvaluations
    /// The objective is infinite or NaN at the start point (e.g. the simulation fails there).
    case nonFiniteStart
    /// No step along the search direction lowered the objective (often a gradient that is wrong or
    /// noisy, e.g. from loose simulation tolerances).
    case lineSearchFailed

    /// Whether the stop is one of the convergence tests (gradient, function or step tolerance).
    public var isConverged: Bool {
        switch self {
        case .gradientTolerance, .functionTolerance, .stepTolerance: true
        default: false
        }
    }
}

/// The outcome of one local optimisation.
public struct OptimisationResult: Sendable, Equatable, Codable {
    /// The start point (after projection onto the bounds).
    public var start: [Double]
    /// The objective at `start` (`.infinity` when it could not be evaluated).
    public var startValue: Double
    /// The best point found (on the optimisation scale, inside the bounds).
    public var x: [Double]
    /// The objective at `x`.
    public var value: Double
    /// ‖P(x − ∇f(x)) − x‖∞ at `x`: zero at a first-order point of the bounded problem.
    public var gradientNorm: Double
    public var iterations: Int
    /// Calls of `value(at:gradient:)` (with or without gradient).
    public var evaluations: Int
    /// Calls of `residuals(at:jacobian:)`.
    public var residualEvaluations: Int
    public var exit: OptimisationExit
    /// Wall-clock seconds this optimisation took.
    public var seconds: Double

    public init(start: [Double], startValue: Double, x: [Double], value: Double, gradientNorm: Double,
                iterations: Int, evaluations: Int, residualEvaluations: Int, exit: OptimisationExit, seconds: Double) {
        self.start = start
        self.startValue = startValue
        self.x = x
        self.value = value
        self.gradientNorm = gradientNorm
        self.iterations = iterations
        self.evaluations = evaluations
        self.residualEvaluations = residualEvaluations
        self.exit = exit
        self.seconds = seconds
    }
}

/// A method that minimises an objective within its bounds from one start point.
///
/// Implementations are deterministic: the result depends only on the objective and the start point.
public protocol LocalOptimiser: Sendable {
    var options: OptimisationOptions { get }
    /// Minimises `objective` from `start` (projected onto the bounds first). Never throws or traps on a
    /// failing objective: an infinite value at the start gives exit `.nonFiniteStart`, elsewhere it
    /// rejects the step.
    func minimise<O: ObjectiveFunction>(_ objective: O, from start: [Double]) -> OptimisationResult
}
