/// Invalid settings or inputs of an optimiser, multi-start, profile or sampler, naming the offending option or
/// element (e.g. `MCMCOptions.burnIn`, `start 3`, `lower bound of k1`).
public struct InferenceInputError: Error, Equatable, CustomStringConvertible {
    public let element: String
    public let reason: String

    public init(element: String, reason: String) {
        self.element = element
        self.reason = reason
    }

    public var description: String { "\(element): \(reason)" }
}

/// Throws `InferenceInputError(element:reason:)` unless `condition` holds.
func require(_ condition: Bool, _ element: @autoclosure () -> String, _ reason: @autoclosure () -> String) throws {
    if !condition { throw InferenceInputError(element: element(), reason: reason()) }
}

extension ObjectiveFunction {
    /// Checks that the bounds are finite, ordered and one pair per parameter.
    func validateBounds() throws {
        let names = parameterNames, lower = lowerBounds, upper = upperBounds
        try require(lower.count == names.count && upper.count == names.count, "objective bounds",
                    "\(lower.count) lower and \(upper.count) upper bounds for \(names.count) parameters")
        for i in names.indices {
            try require(lower[i].isFinite && upper[i].isFinite, "bounds of \(names[i])",
                        "must be finite, got [\(lower[i]), \(upper[i])]")
            try require(lower[i] <= upper[i], "bounds of \(names[i])", "lower \(lower[i]) exceeds upper \(upper[i])")
        }
    }

    /// Checks that `point` has one finite value per parameter, inside the bounds.
    func validatePoint(_ point: [Double], _ label: String) throws {
        try require(point.count == parameterCount, label, "has \(point.count) values for \(parameterCount) parameters")
        let names = parameterNames, lower = lowerBounds, upper = upperBounds
        for i in point.indices {
            try require(point[i].isFinite && point[i] >= lower[i] && point[i] <= upper[i], "\(label), \(names[i])",
                        "\(point[i]) is outside the bounds [\(lower[i]), \(upper[i])]")
        }
    }
}

extension OptimisationOptions {
    /// Checks that tolerances are non-negative and the limits positive.
    public func validate() throws {
        try require(gradientTolerance >= 0, "OptimisationOptions.gradientTolerance", "must be ≥ 0, got \(gradientTolerance)")
        try require(functionTolerance >= 0, "OptimisationOptions.functionTolerance", "must be ≥ 0, got \(functionTolerance)")
        try require(stepTolerance >= 0, "OptimisationOptions.stepTolerance", "must be ≥ 0, got \(stepTolerance)")
        try require(maxIterations >= 0, "OptimisationOptions.maxIterations", "must be ≥ 0, got \(maxIterations)")
        try require(maxEvaluations >= 1, "OptimisationOptions.maxEvaluations", "must be ≥ 1, got \(maxEvaluations)")
    }
}

extension MCMCOptions {
    /// Checks iterations > burnIn ≥ 0, thinning ≥ 1, a positive initial scale and non-negative settings.
    public func validate() throws {
        try require(burnIn >= 0, "MCMCOptions.burnIn", "must be ≥ 0, got \(burnIn)")
        try require(iterations > burnIn, "MCMCOptions.iterations", "must exceed burnIn (\(burnIn)), got \(iterations)")
        try require(thinning >= 1, "MCMCOptions.thinning", "must be ≥ 1, got \(thinning)")
        try require(initialScale > 0 && initialScale.isFinite, "MCMCOptions.initialScale", "must be positive, got \(initialScale)")
        try require(adaptationStart >= 0, "MCMCOptions.adaptationStart", "must be ≥ 0, got \(adaptationStart)")
        try require(regularisation >= 0, "MCMCOptions.regularisation", "must be ≥ 0, got \(regularisation)")
    }
}

extension ProfileOptions {
    /// Checks the confidence level is in (0, 1) and the step settings are positive and ordered.
    public func validate() throws {
        try require(confidenceLevel > 0 && confidenceLevel < 1, "ProfileOptions.confidenceLevel",
                    "must be in (0, 1), got \(confidenceLevel)")
        try require(minStepFraction > 0 && minStepFraction <= maxStepFraction, "ProfileOptions.minStepFraction",
                    "must be positive and ≤ maxStepFraction (\(maxStepFraction)), got \(minStepFraction)")
        try require(initialStepFraction > 0, "ProfileOptions.initialStepFraction", "must be positive, got \(initialStepFraction)")
        try require(maxPoints >= 1, "ProfileOptions.maxPoints", "must be ≥ 1, got \(maxPoints)")
        try require(crossingTolerance > 0, "ProfileOptions.crossingTolerance", "must be positive, got \(crossingTolerance)")
    }
}
