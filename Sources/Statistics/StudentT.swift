#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sampling

/// Student's t distribution with `degreesOfFreedom` ν > 0 (not necessarily an integer, as Welch's test needs).
///
/// ```swift
/// StudentT(degreesOfFreedom: 10).quantile(0.975)   // 2.2281388519649385
/// ```
/// Accuracy: about 1e-13 relative against scipy.stats.t for ν in [1, 1e4] (tested); tails are computed directly,
/// not as 1 − cdf, so tiny p-values keep their relative precision.
public struct StudentT: Sendable, Equatable, Codable {
    public let degreesOfFreedom: Double

    /// - Parameter degreesOfFreedom: ν; NaN or ν ≤ 0 makes every function return NaN.
    public init(degreesOfFreedom: Double) {
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(T > |t|), the one-sided tail beyond |t|: I_{ν/(ν+t²)}(ν/2, 1/2) / 2.
    public func tail(_ t: Double) -> Double {
        let v = degreesOfFreedom
        guard v > 0, !t.isNaN else { return .nan }
        if t.isInfinite { return 0 }
        let t2 = t * t
        // x = ν/(ν+t²) and 1 − x = t²/(ν+t²), both without cancellation.
        let x = v / (v + t2), y = t2 / (v + t2)
        return 0.5 * SpecialFunctions.incompleteBeta(x: x, y: y, a: v / 2, b: 0.5).value
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double {
        let p = tail(t)
        return t > 0 ? 1 - p : p
    }

    /// P(T > t).
    public func survival(_ t: Double) -> Double {
        let p = tail(t)
        return t > 0 ? p : 1 - p
    }

    /// Two-sided p-value P(|T| ≥ |t|).
    public func twoSidedPValue(_ t: Double) -> Double {
        let p = 2 * tail(t)
        return p.isNaN ? p : min(1, p)
    }

    /// The density at t.
    public func pdf(_ t: Double) -> Double {
        let v = degreesOfFreedom
        guard v > 0 else { return .nan }
        return exp(lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi) - (v + 1) / 2 * log1p(t * t / v))
    }

    /// The t with P(T ≤ t) = p for p in (0, 1); −∞ / +∞ at 0 / 1; NaN outside [0, 1] or for ν ≤ 0.
    ///
    /// Solves tail(x) = min(p, 1 − p) for x ≥ 0 by Newton's method on log tail (safeguarded by bisection on a
    /// bracket), started from the normal quantile; closed forms for ν = 1 and 2.
    public func quantile(_ p: Double) -> Double {
        let v = degreesOfFreedom
        guard v > 0, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        let q = min(p, 1 - p)
        let sign: Double = p < 0.5 ? -1 : 1
        if v == 1 { return sign / tan(Double.pi * q) }   // cot(πq), exact in the far tail
        if v == 2 { return sign * (1 - 2 * q) / (2 * q * (1 - q)).squareRoot() }
        let target = log(q)
        // Bracket [lo, hi] with tail(lo) ≥ q ≥ tail(hi).
        var lo = 0.0
        var hi = max(1, -StandardNormal.quantile(q))
        while tail(hi) > q { lo = hi; hi *= 2 }
        var x = min(max(-StandardNormal.quantile(q), lo), hi)
        for _ in 0..<200 {
            let tx = tail(x)
            let g = log(tx) - target
            if g > 0 { lo = x } else { hi = x }
            // d/dx log tail(x) = −pdf(x)/tail(x)
            let slope = -pdf(x) / tx
            var next = x - g / slope
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - x) <= 1e-15 * max(1, abs(x)) { x = next; break }
            x = next
        }
        return sign * x
    }
}
