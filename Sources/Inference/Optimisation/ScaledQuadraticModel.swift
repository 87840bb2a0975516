import LinearAlgebra

/// The quadratic model of ``ReflectiveTrustRegion`` in Coleman–Li scaled variables ŝ (s = D ŝ):
/// `m(ŝ) = ĝᵀŝ + ½ ŝᵀĤŝ` with `ĝ = D g`, `Ĥ = D B D + diag(gᵢ·dvᵢ)`, and the eigendecomposition of Ĥ for
/// the trust-region subproblem. B is the Gauss–Newton matrix JᵀJ (Ĥ positive semi-definite) or JᵀJ plus a secant
/// term (Ĥ may be indefinite: the subproblem then shifts by its lowest eigenvalue).
struct ScaledQuadraticModel {
    let n: Int
    /// D's diagonal, √vᵢ.
    let d: [Double]
    /// Ĥ, row-major n × n.
    let hessian: [Double]
    let gradient: [Double]
    let eigen: SymmetricEigen
    /// Vᵀĝ.
    let projectedGradient: [Double]
    /// Whether Ĥ is numerically non-singular (then the Gauss–Newton step is tried first).
    let fullRank: Bool
    /// The eigenvalues the subproblem works with: Ĥ's, clamped at 0 when Ĥ is meant to be positive
    /// semi-definite, or shifted by max(0, −λ_min) when it may be indefinite (so Ĥ + shift·I ⪰ 0).
    let shiftedValues: [Double]

    /// - Parameter indefinite: whether `gaussNewton` may be indefinite (a secant term added to JᵀJ).
    init(gaussNewton: [Double], gradient g: [Double], scaling: ColemanLiScaling, residualCount m: Int,
         indefinite: Bool = false) {
        let n = g.count, d = scaling.v.map { $0.squareRoot() }
        self.n = n
        self.d = d
        var h = gaussNewton
        for i in 0..<n {
            for j in 0..<n { h[i * n + j] *= d[i] * d[j] }
            h[i * n + i] += g[i] * scaling.dv[i]
        }
        hessian = h
        let gradient = (0..<n).map { d[$0] * g[$0] }
        self.gradient = gradient
        let eigen = SymmetricEigen(h, size: n)
        self.eigen = eigen
        var vg = [Double](repeating: 0, count: n)
        for k in 0..<n { for i in 0..<n { vg[k] += eigen.vectors[i * n + k] * gradient[i] } }
        projectedGradient = vg
        // scipy's test on singular values σ = √λ: σ_min > ε·m·σ_max.
        let largest = max(eigen.values.first ?? 0, 0).squareRoot(), smallest = max(eigen.values.last ?? 0, 0).squareRoot()
        fullRank = m >= n && n > 0 && smallest > Double.ulpOfOne * Double(m) * largest
        let lowest = eigen.values.last ?? 0
        if indefinite && lowest < 0 {
            let shift = -lowest * (1 + 1e-10) + Double.leastNormalMagnitude
            shiftedValues = eigen.values.map { $0 + shift }
        } else {
            shiftedValues = eigen.values.map { max($0, 0) }
        }
    }

    /// The model's value at ŝ: ĝᵀŝ + ½ ŝᵀĤŝ.
    func value(_ s: [Double]) -> Double {
        dot(gradient, s) + 0.5 * TrustRegionLeastSquares.quadraticForm(hessian, s)
    }

    /// −(Ĥ + αI)⁻¹ĝ through the eigendecomposition.
    private func dampedStep(_ alpha: Double) -> [Double] {
        var s = [Double](repeating: 0, count: n)
        for k in 0..<n {
            let c = projectedGradient[k] / (shiftedValues[k] + alpha)
            for i in 0..<n { s[i] -= eigen.vectors[i * n + k] * c }
        }
        return s
    }

    /// The minimiser of the model within ‖ŝ‖ ≤ radius and the Levenberg–Marquardt parameter α it used: the
    /// Gauss–Newton step when it fits, otherwise α found by Moré's iteration so that ‖ŝ(α)‖ = radius to 1 %
    /// (at most 10 iterations; scipy's `solve_lsq_trust_region`), the step then scaled to the radius.
    func trustRegionStep(radius: Double, initialAlpha: Double) -> (step: [Double], alpha: Double) {
        let lambda = shiftedValues
        if fullRank {
            let step = dampedStep(0)
            if euclideanNorm(step) <= radius { return (step, 0) }
        }
        func phi(_ alpha: Double) -> (value: Double, derivative: Double) {
            var norm2 = 0.0, cube = 0.0
            for k in 0..<n {
                let denominator = lambda[k] + alpha
                let q = projectedGradient[k] / denominator
                norm2 += q * q
                cube += projectedGradient[k] * projectedGradient[k] / (denominator * denominator * denominator)
            }
            let norm = norm2.squareRoot()
            return (norm - radius, -cube / norm)
        }
        var upper = euclideanNorm(projectedGradient) / radius
        var lower = 0.0
        if fullRank {
            let (value, derivative) = phi(0)
            lower = -value / derivative
        }
        var alpha = initialAlpha
        if initialAlpha == 0 || !initialAlpha.isFinite { alpha = max(0.001 * upper, (lower * upper).squareRoot()) }
        for _ in 0..<10 {
            if alpha < lower || alpha > upper { alpha = max(0.001 * upper, (lower * upper).squareRoot()) }
            let (value, derivative) = phi(alpha)
            if value < 0 { upper = alpha }
            let ratio = value / derivative
            lower = max(lower, alpha - ratio)
            alpha -= (value + radius) * ratio / radius
            if abs(value) < 0.01 * radius { break }
        }
        var step = dampedStep(alpha)
        let norm = euclideanNorm(step)
        if norm > 0, norm.isFinite { for i in 0..<n { step[i] *= radius / norm } }
        return (step, alpha)
    }

    /// A step in x and in ŝ, with the decrease the model predicts for it.
    struct Step {
        var step: [Double]
        var stepH: [Double]
        var predicted: Double
    }

    /// The trust-region step when x + s stays inside the box; otherwise the best (lowest model value) of the
    /// step cut at the first bound it crosses (times θ, so strictly inside), the reflection of the rest of
    /// the step off that bound, and the scaled steepest-descent step (scipy's `select_step`).
    func selectStep(x: [Double], stepH pH0: [Double], radius: Double, box: BoxBounds, theta: Double) -> Step {
        var pH = pH0
        var p = (0..<n).map { d[$0] * pH[$0] }
        if box.contains(zip(x, p).map(+)) { return Step(step: p, stepH: pH, predicted: -value(pH)) }
        let (pStride, hits) = box.stepToBound(from: x, along: p)
        var rH = pH
        for i in 0..<n where hits[i] { rH[i] = -rH[i] }
        var r = (0..<n).map { d[$0] * rH[$0] }
        for i in 0..<n { p[i] *= pStride; pH[i] *= pStride }
        let onBound = zip(x, p).map(+)
        // The reflected direction first leaves either the box or the trust region.
        let toTrustRegion = ScaledQuadraticModel.exitFromBall(pH, rH, radius)
        let toBound = box.stepToBound(from: onBound, along: r).stride
        var rValue = Double.infinity
        let rStride = min(toBound, toTrustRegion)
        if rStride > 0 {
            let lowerStride = (1 - theta) * pStride / rStride
            let upperStride = rStride == toBound ? theta * toBound : toTrustRegion
            if lowerStride <= upperStride {
                let (a, b, c) = lineModel(rH, from: pH)
                let (t, v) = ScaledQuadraticModel.minimiseQuadratic(a, b, c, lowerStride, upperStride)
                for i in 0..<n { rH[i] = pH[i] + t * rH[i]; r[i] = d[i] * rH[i] }
                rValue = v
            }
        }
        for i in 0..<n { p[i] *= theta; pH[i] *= theta }
        let pValue = value(pH)
        var agH = gradient.map { -$0 }
        let gNorm = euclideanNorm(agH)
        var agValue = Double.infinity
        if gNorm > 0 {
            let ag = (0..<n).map { d[$0] * agH[$0] }
            let toRadius = radius / gNorm
            let toBox = box.stepToBound(from: x, along: ag).stride
            let (a, b, _) = lineModel(agH, from: nil)
            let (t, v) = ScaledQuadraticModel.minimiseQuadratic(a, b, 0, 0, toBox < toRadius ? theta * toBox : toRadius)
            for i in 0..<n { agH[i] *= t }
            agValue = v
        }
        if pValue <= rValue && pValue <= agValue { return Step(step: p, stepH: pH, predicted: -pValue) }
        if rValue <= agValue { return Step(step: r, stepH: rH, predicted: -rValue) }
        return Step(step: (0..<n).map { d[$0] * agH[$0] }, stepH: agH, predicted: -agValue)
    }

    /// The model along s₀ + t·s as a t² + b t + c.
    private func lineModel(_ s: [Double], from s0: [Double]?) -> (a: Double, b: Double, c: Double) {
        let a = 0.5 * TrustRegionLeastSquares.quadraticForm(hessian, s)
        var b = dot(gradient, s)
        var c = 0.0
        if let s0 {
            for i in 0..<n {
                var hs = 0.0
                for j in 0..<n { hs += hessian[i * n + j] * s[j] }
                b += s0[i] * hs
            }
            c = value(s0)
        }
        return (a, b, c)
    }

    /// The minimum of a t² + b t + c over [lower, upper].
    static func minimiseQuadratic(_ a: Double, _ b: Double, _ c: Double, _ lower: Double,
                                  _ upper: Double) -> (t: Double, value: Double) {
        var candidates = [lower, upper]
        if a != 0 {
            let extremum = -0.5 * b / a
            if lower < extremum && extremum < upper { candidates.append(extremum) }
        }
        var best = (t: lower, value: Double.infinity)
        for t in candidates {
            let v = t * (a * t + b) + c
            if v < best.value { best = (t, v) }
        }
        return best
    }

    /// The t ≥ 0 where x + t·s leaves the ball ‖·‖ ≤ radius (x inside it).
    static func exitFromBall(_ x: [Double], _ s: [Double], _ radius: Double) -> Double {
        let a = dot(s, s)
        guard a > 0 else { return 0 }
        let b = dot(x, s), c = min(dot(x, x) - radius * radius, 0)
        let root = (b * b - a * c).squareRoot()
        let q = -(b + (b >= 0 ? root : -root))
        let (t1, t2) = (q / a, q != 0 ? c / q : 0)
        return max(t1, t2)
    }
}

extension BoxBounds {
    /// Whether every coordinate of x is within its bounds.
    func contains(_ x: [Double]) -> Bool {
        x.indices.allSatisfy { x[$0] >= lower[$0] && x[$0] <= upper[$0] }
    }

    /// The largest t with x + t·s in the box, and which coordinates reach their bound at that t.
    func stepToBound(from x: [Double], along s: [Double]) -> (stride: Double, hits: [Bool]) {
        var steps = [Double](repeating: .infinity, count: x.count)
        for i in x.indices where s[i] != 0 {
            steps[i] = max((lower[i] - x[i]) / s[i], (upper[i] - x[i]) / s[i])
        }
        let stride = steps.min() ?? .infinity
        return (stride, steps.map { $0 == stride && $0.isFinite })
    }
}
