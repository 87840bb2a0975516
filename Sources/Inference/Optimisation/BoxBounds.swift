/// Box-constraint helpers on the optimisation scale.
struct BoxBounds: Sendable {
    let lower: [Double]
    let upper: [Double]

    init<O: ObjectiveFunction>(_ objective: O) {
        lower = objective.lowerBounds
        upper = objective.upperBounds
    }

    var count: Int { lower.count }

    /// The point nearest to x inside the box.
    func project(_ x: [Double]) -> [Double] {
        var y = x
        for i in y.indices { y[i] = min(max(y[i], lower[i]), upper[i]) }
        return y
    }

    /// ‖P(x − g) − x‖∞: the first-order optimality measure for min f subject to lower ≤ x ≤ upper.
    func projectedGradientNorm(_ x: [Double], _ g: [Double]) -> Double {
        var norm = 0.0
        for i in x.indices {
            let moved = min(max(x[i] - g[i], lower[i]), upper[i]) - x[i]
            norm = max(norm, abs(moved))
        }
        return g.allSatisfy(\.isFinite) ? norm : .infinity
    }

    /// Whether coordinate i may move: it is not held at a bound by a gradient pushing outwards.
    func isFree(_ i: Int, _ x: [Double], _ g: [Double]) -> Bool {
        let slack = 1e-12 * max(upper[i] - lower[i], 1)
        if x[i] <= lower[i] + slack && g[i] > 0 { return false }
        if x[i] >= upper[i] - slack && g[i] < 0 { return false }
        return true
    }
}

/// Euclidean norm.
@inline(__always) func euclideanNorm(_ v: [Double]) -> Double {
    var s = 0.0
    for e in v { s += e * e }
    return s.squareRoot()
}

/// Whether an accepted step is short enough to stop (relative step test).
@inline(__always) func isStepSmall(_ step: [Double], at x: [Double], tolerance: Double) -> Bool {
    euclideanNorm(step) <= tolerance * (euclideanNorm(x) + tolerance)
}
