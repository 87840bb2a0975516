import Foundation

/// Profile likelihoods: for each parameter, fix it on a grid stepping out from the optimum in both
/// directions, re-optimise the others (warm-started from the previous point), and stop when the objective
/// has risen by the χ² threshold (``ProfileOptions/threshold``) or a bound is reached. The crossing is then
/// refined by regula falsi (Illinois variant) on the re-optimised objective until it is bracketed within
/// ``ProfileOptions/crossingTolerance``.
///
/// The objective must be a negative log-likelihood (or log-posterior) so that a rise of z²/2 marks the
/// likelihood-ratio confidence bound (Raue et al., Bioinformatics 25, 2009, doi:10.1093/bioinformatics/btp358).
///
/// - Complexity: one local optimisation of n − 1 parameters per profile point.
public struct ProfileLikelihood: Sendable {
    public var options: ProfileOptions
    /// Worker threads for `profileAll` (one parameter per task).
    public var threads: Int

    public init(options: ProfileOptions = .init(), threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.options = options
        self.threads = threads
    }

    /// Profiles every parameter from the optimum `optimum` (e.g. the best multi-start result), in parallel.
    /// - Throws: `InferenceInputError` for invalid options or bounds, or an optimum outside the bounds.
    public func profileAll<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, optimum: [Double],
                                                                    optimiser: L) throws -> [ParameterProfile] {
        try validate(objective, optimum: optimum, optimiser: optimiser)
        let n = objective.parameterCount
        let optimumValue = objective.value(at: optimum, gradient: nil)
        return parallelMap(count: n, threads: threads) {
            walkBothWays(objective, parameter: $0, optimum: optimum, optimumValue: optimumValue, optimiser: optimiser)
        }
    }

    private func validate<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, optimum: [Double],
                                                                  optimiser: L) throws {
        try options.validate()
        try optimiser.options.validate()
        try objective.validateBounds()
        try objective.validatePoint(optimum, "optimum")
    }

    /// The profile of parameter `parameter` from the optimum `optimum` with objective `optimumValue`.
    /// - Throws: `InferenceInputError` for invalid options or bounds, an optimum outside the bounds or a
    ///   parameter index out of range.
    public func profile<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, parameter: Int, optimum: [Double],
                                                                 optimumValue: Double, optimiser: L) throws
        -> ParameterProfile {
        try validate(objective, optimum: optimum, optimiser: optimiser)
        try require(objective.parameterNames.indices.contains(parameter), "profiled parameter index",
                    "\(parameter) is not in 0..<\(objective.parameterCount)")
        return walkBothWays(objective, parameter: parameter, optimum: optimum, optimumValue: optimumValue,
                            optimiser: optimiser)
    }

    private func walkBothWays<O: ObjectiveFunction, L: LocalOptimiser>(
        _ objective: O, parameter: Int, optimum: [Double], optimumValue: Double, optimiser: L
    ) -> ParameterProfile {
        let centre = ProfilePoint(parameterValue: optimum[parameter], objective: optimumValue, point: optimum,
                                  exit: .gradientTolerance)
        var points = [centre]
        let lowerEnd = walk(objective, parameter, from: centre, direction: -1, optimiser, &points)
        let upperEnd = walk(objective, parameter, from: centre, direction: 1, optimiser, &points)
        points.sort { $0.parameterValue < $1.parameterValue }
        return ParameterProfile(parameterName: objective.parameterNames[parameter], parameterIndex: parameter,
                                optimumValue: optimum[parameter], optimumObjective: optimumValue,
                                threshold: options.threshold, points: points, lower: lowerEnd, upper: upperEnd)
    }

    /// The profile at parameter value t, warm-started from `warm` (a full point).
    private func point<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, _ parameter: Int, at t: Double,
                                                               warm: [Double], _ optimiser: L) -> ProfilePoint {
        // The index was validated by the public entry points.
        let fixed = try! FixedParameterObjective(objective, fixing: parameter, at: t)
        var others = warm
        others.remove(at: parameter)
        if others.isEmpty {
            return ProfilePoint(parameterValue: t, objective: fixed.value(at: [], gradient: nil),
                                point: fixed.fullPoint([]), exit: .gradientTolerance)
        }
        let result = optimiser.minimise(fixed, from: others)
        let value = result.value.isNaN ? .infinity : result.value
        return ProfilePoint(parameterValue: t, objective: value, point: fixed.fullPoint(result.x), exit: result.exit)
    }

    /// Steps from `centre` in `direction` (±1) until the threshold is crossed, a bound is hit or the
    /// point limit is reached; appends the points computed.
    private func walk<O: ObjectiveFunction, L: LocalOptimiser>(_ objective: O, _ parameter: Int,
                                                              from centre: ProfilePoint, direction: Double,
                                                              _ optimiser: L, _ points: inout [ProfilePoint])
        -> ProfileEnd {
        let low = objective.lowerBounds[parameter], high = objective.upperBounds[parameter]
        let range = high - low
        let bound = direction < 0 ? low : high
        let target = centre.objective + options.threshold
        var previous = centre
        var step = options.initialStepFraction * range
        for _ in 0..<options.maxPoints {
            if previous.parameterValue == bound { return .boundReached(bound) }
            var t = previous.parameterValue + direction * step
            if (t - bound) * direction >= 0 { t = bound }
            let next = point(objective, parameter, at: t, warm: previous.point, optimiser)
            guard next.objective.isFinite else {
                if step > options.minStepFraction * range {
                    step = max(step / 4, options.minStepFraction * range)
                    continue
                }
                return .stopped(previous.parameterValue)
            }
            points.append(next)
            if next.objective >= target {
                return .crossed(refineCrossing(objective, parameter, below: previous, above: next, target: target,
                                               optimiser, &points))
            }
            let rise = next.objective - previous.objective
            let factor = rise > 0 ? (options.threshold / 5 / rise).squareRoot() : 2
            step = min(max(step * min(max(factor, 0.5), 2), options.minStepFraction * range),
                       options.maxStepFraction * range)
            previous = next
        }
        return .stopped(previous.parameterValue)
    }

    /// Regula falsi (Illinois) on profile(t) − target between a point below and one above the target.
    private func refineCrossing<O: ObjectiveFunction, L: LocalOptimiser>(
        _ objective: O, _ parameter: Int, below: ProfilePoint, above: ProfilePoint, target: Double,
        _ optimiser: L, _ points: inout [ProfilePoint]
    ) -> Double {
        let range = objective.upperBounds[parameter] - objective.lowerBounds[parameter]
        var a = below, b = above
        var ha = a.objective - target, hb = b.objective - target
        var side = 0, iterations = 0
        while abs(b.parameterValue - a.parameterValue) > options.crossingTolerance * range && iterations < 60 {
            iterations += 1
            var t = (a.parameterValue * hb - b.parameterValue * ha) / (hb - ha)
            let lo = min(a.parameterValue, b.parameterValue), hi = max(a.parameterValue, b.parameterValue)
            if !(t > lo && t < hi) { t = (lo + hi) / 2 }
            let c = point(objective, parameter, at: t, warm: a.point, optimiser)
            guard c.objective.isFinite else { break }
            points.append(c)
            let hc = c.objective - target
            if hc < 0 {
                a = c
                ha = hc
                if side == -1 { hb /= 2 }
                side = -1
            } else {
                b = c
                hb = hc
                if side == 1 { ha /= 2 }
                side = 1
            }
        }
        let ra = a.objective - target, rb = b.objective - target
        guard rb != ra else { return b.parameterValue }
        return a.parameterValue + (b.parameterValue - a.parameterValue) * (-ra) / (rb - ra)
    }
}
