/// Which integration method to use.
public enum SolverMethod: String, CaseIterable, Sendable, Codable {
    /// Starts with Dormand–Prince 5(4) and switches to Rodas5P for the rest of the run when Hairer's
    /// stiffness test fires on 15 accepted steps, or at once when a damped mode is so fast that stability alone
    /// would cost more than 3000 explicit steps over the rest of the span (`StiffnessTest`; the default, what
    /// LSODA does with Adams/BDF).
    case auto
    /// Dormand–Prince 5(4), explicit, with 4th-order dense output. For non-stiff models.
    case dopri5
    /// RODAS4 (Hairer & Wanner), a linearly implicit L-stable Rosenbrock method of order 4 (embedded 3) with
    /// 3rd-order dense output, using the analytic Jacobian: six stages per step. For stiff models.
    case rodas4
    /// Rodas5P (Steinebach 2023), a linearly implicit L-stable Rosenbrock method of order 5 (embedded 4) with
    /// 4th-order dense output, using the analytic Jacobian: eight stages per step, but at rtol 1e-6 about half
    /// RODAS4's steps on the stiff benchmark models, at smaller errors. For stiff models; `auto`'s stiff method.
    case rodas5p
}

/// Tolerances and limits of a simulation.
///
/// The local error of each step is accepted when
/// `sqrt(mean_i (err_i / (atol_i + rtol · max(|y_i|, |ŷ_i|)))²) ≤ 1`, where `y` is the state before and `ŷ`
/// after the step, both in the integrated representation (species amounts). `atol` is absolute in those
/// units; `rtol` is relative. The global error is typically a small multiple of the local tolerance.
public struct SolverOptions: Sendable, Hashable, Codable {
    public var method: SolverMethod
    /// Relative tolerance (dimensionless), > 0.
    public var relativeTolerance: Double
    /// Absolute tolerance in state units, ≥ 0 (applied to every state unless `absoluteTolerances` is set).
    public var absoluteTolerance: Double
    /// Per-state absolute tolerances, in `CompiledModel.stateIds` order (overrides `absoluteTolerance`).
    public var absoluteTolerances: [Double]?
    /// Maximum number of steps (accepted and rejected) before the run stops with `.maxSteps`.
    public var maxSteps: Int
    /// Largest step allowed (model time units); nil for no limit beyond the distance to the next stop.
    public var maxStepSize: Double?
    /// A state whose magnitude exceeds this is reported as `.blowUp` (finite-time singularities).
    public var blowUpThreshold: Double
    /// When set, every step has exactly this size (shortened only to land on stops) and no error control
    /// is done: for verifying a method's order of convergence, not for production runs.
    public var fixedStepSize: Double?
    /// Seed of the stream that orders simultaneous events of equal priority (SBML: "in random order");
    /// nil means 0. The same seed gives the same order.
    public var eventSeed: UInt64?
    /// Wall-clock limit of one run in seconds (nil: none); a run over it stops with `.timedOut`. Checked
    /// every 64 steps, so a runaway simulation ends by itself instead of being abandoned.
    public var timeLimit: Double?

    public init(method: SolverMethod = .auto, relativeTolerance: Double = 1e-6, absoluteTolerance: Double = 1e-8,
                absoluteTolerances: [Double]? = nil, maxSteps: Int = 100_000, maxStepSize: Double? = nil,
                blowUpThreshold: Double = 1e100, fixedStepSize: Double? = nil) {
        self.fixedStepSize = fixedStepSize
        self.method = method
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.absoluteTolerances = absoluteTolerances
        self.maxSteps = maxSteps
        self.maxStepSize = maxStepSize
        self.blowUpThreshold = blowUpThreshold
    }

    /// Checks the values; the message names the offending option.
    public func validate(stateCount: Int) throws {
        guard relativeTolerance > 0, relativeTolerance.isFinite else {
            throw SimulationError.invalidRequest("relative tolerance must be positive and finite, got \(relativeTolerance)")
        }
        guard absoluteTolerance >= 0, absoluteTolerance.isFinite else {
            throw SimulationError.invalidRequest("absolute tolerance must be non-negative and finite, got \(absoluteTolerance)")
        }
        if let v = absoluteTolerances, v.count != stateCount || v.contains(where: { !($0 >= 0) || !$0.isFinite }) {
            throw SimulationError.invalidRequest("absoluteTolerances must have \(stateCount) non-negative finite values")
        }
        guard maxSteps > 0 else { throw SimulationError.invalidRequest("maxSteps must be positive, got \(maxSteps)") }
        if let m = maxStepSize, !(m > 0) { throw SimulationError.invalidRequest("maxStepSize must be positive, got \(m)") }
    }
}

/// How a simulation ended. Failures are outcomes, not errors: each names the time and, where there is one,
/// the variable responsible, so one failed virtual patient never stops a cohort.
public enum SimulationStatus: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Reached the last output time.
    case success
    /// A state exceeded `SolverOptions.blowUpThreshold`: typically a finite-time singularity (a true pole
    /// of the model at these parameters). Fix: check the parameters; nothing numerical will help.
    case blowUp(time: Double, variable: String)
    /// A state or derivative became NaN or infinite (division by zero, log of a negative number, overflow).
    case nonFinite(time: Double, variable: String)
    /// The step size fell below the resolution of the time axis: a singularity or an extremely stiff
    /// transient. Fix: use `rodas5p`, loosen tolerances, or check the model.
    case stepSizeUnderflow(time: Double, stepSize: Double)
    /// `SolverOptions.maxSteps` was reached. Fix: raise the limit or use `rodas5p` for stiff models.
    case maxSteps(time: Double)
    /// Events kept triggering each other at one time point (more than 10,000 executions).
    case eventLoop(time: Double)
    /// `SolverOptions.timeLimit` (wall clock) ran out.
    case timedOut(time: Double)
    /// The initial values could not be computed (NaN or infinite).
    case invalidInitialState(variable: String)

    /// True for `.success`.
    public var isSuccess: Bool { self == .success }

    /// A short machine-readable name: success, blow_up, non_finite, step_size_underflow, max_steps, event_loop,
    /// timed_out, invalid_initial_state.
    public var code: String {
        switch self {
        case .success: "success"
        case .blowUp: "blow_up"
        case .nonFinite: "non_finite"
        case .stepSizeUnderflow: "step_size_underflow"
        case .maxSteps: "max_steps"
        case .eventLoop: "event_loop"
        case .timedOut: "timed_out"
        case .invalidInitialState: "invalid_initial_state"
        }
    }

    public var description: String {
        switch self {
        case .success: "success"
        case .blowUp(let t, let v): "blow-up of \(v) at t = \(t)"
        case .nonFinite(let t, let v): "non-finite value of \(v) at t = \(t)"
        case .stepSizeUnderflow(let t, let h): "step size underflow (h = \(h)) at t = \(t)"
        case .maxSteps(let t): "maximum number of steps reached at t = \(t)"
        case .eventLoop(let t): "events trigger each other endlessly at t = \(t)"
        case .timedOut(let t): "wall-clock time limit reached at t = \(t)"
        case .invalidInitialState(let v): "initial value of \(v) is not finite"
        }
    }
}

/// Counters describing the work a simulation did.
public struct SolverStatistics: Hashable, Sendable, Codable {
    public var acceptedSteps = 0
    public var rejectedSteps = 0
    public var rhsEvaluations = 0
    public var jacobianEvaluations = 0
    public var factorizations = 0
    public var eventsExecuted = 0
    /// Time at which `auto` switched to the stiff method, if it did.
    public var switchedToStiffAt: Double?
    public init() {}
}
