#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Special functions behind the test distributions.
public enum SpecialFunctions {
    /// log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b) for a, b > 0.
    public static func logBeta(_ a: Double, _ b: Double) -> Double {
        lgamma(a) + lgamma(b) - lgamma(a + b)
    }

    /// The regularised incomplete beta function I_x(a, b) and its complement 1 − I_x(a, b), for a, b > 0 and x in [0, 1].
    ///
    /// `y` must equal 1 − x; passing it separately lets callers that know 1 − x more accurately than by subtraction
    /// (the Student-t tails) keep full precision. Computed with the continued fraction of Numerical Recipes §6.4
    /// (modified Lentz), applied on the side where it converges fast, to a relative accuracy of about 1e-15 in each
    /// component; the prefactor's lnB costs a further ~1e-16·|lnB| absolute. Returns NaN for arguments out of range.
    public static func incompleteBeta(x: Double, y: Double, a: Double, b: Double) -> (value: Double, complement: Double) {
        guard a > 0, b > 0, x >= 0, y >= 0, x <= 1, y <= 1 else { return (.nan, .nan) }
        if x == 0 { return (0, 1) }
        if y == 0 { return (1, 0) }
        let logFront = a * log(x) + b * log(y) - logBeta(a, b)
        if x < (a + 1) / (a + b + 2) {
            let v = exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
            return (v, 1 - v)
        } else {
            let c = exp(logFront) * continuedFraction(x: y, a: b, b: a) / b
            return (1 - c, c)
        }
    }

    /// The continued fraction for I_x(a, b) (Numerical Recipes `betacf`), evaluated by modified Lentz.
    static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, eps = 1e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < eps { break }
        }
        return h
    }

    /// P(X > x) for a χ² variable with one degree of freedom: erfc(√(x/2)). NaN for NaN, 1 for x ≤ 0.
    public static func chiSquareOneSurvival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x <= 0 { return 1 }
        return erfc((x / 2).squareRoot())
    }
}
