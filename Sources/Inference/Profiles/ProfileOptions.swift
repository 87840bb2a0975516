import Sampling

/// Settings of a profile-likelihood computation.
public struct ProfileOptions: Sendable, Equatable, Codable {
    /// Confidence level of the pointwise interval (0.95 by default).
    public var confidenceLevel: Double
    /// First step away from the optimum, as a fraction of the parameter's bound range.
    public var initialStepFraction: Double
    /// Smallest and largest step, as fractions of the bound range (the step adapts so that the objective
    /// rises by about a fifth of the threshold per point).
    public var minStepFraction: Double
    public var maxStepFraction: Double
    /// Most profile points in each direction (not counting the refinement of the crossing).
    public var maxPoints: Int
    /// The crossing of the threshold is refined until it is bracketed this tightly, as a fraction of the
    /// bound range; the reported end point is then within this distance of the exact crossing (up to the
    /// inner optimisations' error).
    public var crossingTolerance: Double

    public init(confidenceLevel: Double = 0.95, initialStepFraction: Double = 0.01, minStepFraction: Double = 1e-4,
                maxStepFraction: Double = 0.1, maxPoints: Int = 100, crossingTolerance: Double = 1e-5) {
        self.confidenceLevel = confidenceLevel
        self.initialStepFraction = initialStepFraction
        self.minStepFraction = minStepFraction
        self.maxStepFraction = maxStepFraction
        self.maxPoints = maxPoints
        self.crossingTolerance = crossingTolerance
    }

    /// The rise of the negative log-likelihood that bounds the interval: half the χ²₁ quantile at the
    /// confidence level, i.e. z²/2 with z the standard normal (1 + level)/2 quantile (1.9207 for 95 %).
    public var threshold: Double {
        let z = StandardNormal.quantile(0.5 + confidenceLevel / 2)
        return z * z / 2
    }
}

/// One point of a profile: the profiled parameter fixed at `parameterValue`, the others re-optimised.
public struct ProfilePoint: Sendable, Equatable, Codable {
    public var parameterValue: Double
    /// The re-optimised objective.
    public var objective: Double
    /// The full parameter vector at this point (optimisation scale).
    public var point: [Double]
    public var exit: OptimisationExit
}

/// How one side of a profile ended.
public enum ProfileEnd: Sendable, Equatable, Codable {
    /// The objective rose by the threshold here: a finite confidence bound.
    case crossed(Double)
    /// The parameter's bound was reached first (the interval is open on this side within the bounds).
    case boundReached(Double)
    /// The objective could not be evaluated or the point limit was hit beyond this value.
    case stopped(Double)

    /// The end's parameter value.
    public var value: Double {
        switch self {
        case .crossed(let v), .boundReached(let v), .stopped(let v): v
        }
    }
}

/// The profile likelihood of one parameter and the confidence interval it gives.
public struct ParameterProfile: Sendable, Equatable, Codable {
    public var parameterName: String
    public var parameterIndex: Int
    /// The optimum the profile starts from.
    public var optimumValue: Double
    public var optimumObjective: Double
    /// The threshold used (objective units above `optimumObjective`).
    public var threshold: Double
    /// Every computed point, sorted by parameter value (the optimum included).
    public var points: [ProfilePoint]
    public var lower: ProfileEnd
    public var upper: ProfileEnd
    /// Lowest objective on the profile: below `optimumObjective` when the profile found a better fit.
    public var lowestObjective: Double { points.map(\.objective).min() ?? optimumObjective }

    /// The confidence interval [lower.value, upper.value] (a side that reached a bound is at that bound).
    public var confidenceInterval: ClosedRange<Double> { lower.value...upper.value }
}
