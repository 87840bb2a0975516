#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Sampling

/// The population distribution of one quantity (a parameter or a covariate), optionally truncated.
///
/// Values are produced from a standard normal draw `z` (`value(fromStandardNormal:)`), so correlations can be
/// imposed on the z's (a Gaussian copula) before each marginal is applied. Truncation is by the inverse CDF:
/// `u = F(a) + Φ(z)·(F(b) − F(a))`, `x = F⁻¹(u)`, which keeps the copula's rank correlations.
public struct PopulationDistribution: Sendable, Hashable, Codable {
    public enum Shape: Sendable, Hashable, Codable {
        /// Log-normal with the given median and coefficient of variation: `median · exp(σ z)` with
        /// `σ = √(ln(1 + cv²))`.
        case logNormal(median: Double, cv: Double)
        /// Normal with mean and standard deviation (in the quantity's unit).
        case normal(mean: Double, sd: Double)
        /// Uniform on [lower, upper].
        case uniform(lower: Double, upper: Double)
    }

    public let shape: Shape
    /// Truncation bounds (inclusive), in the quantity's unit; nil for none.
    public let lower: Double?
    public let upper: Double?

    /// - Throws: `CohortError.invalidDistribution` for a non-positive median or cv, a negative sd, an empty
    ///   uniform range, or truncation bounds that leave no probability mass.
    public init(_ shape: Shape, lower: Double? = nil, upper: Double? = nil) throws {
        self.shape = shape
        self.lower = lower
        self.upper = upper
        switch shape {
        case .logNormal(let median, let cv):
            guard median > 0, median.isFinite else { throw CohortError.invalidDistribution("log-normal median must be positive and finite, got \(median)") }
            guard cv > 0, cv.isFinite else { throw CohortError.invalidDistribution("log-normal cv must be positive and finite, got \(cv)") }
        case .normal(let mean, let sd):
            guard mean.isFinite else { throw CohortError.invalidDistribution("normal mean must be finite, got \(mean)") }
            guard sd >= 0, sd.isFinite else { throw CohortError.invalidDistribution("normal sd must be non-negative and finite, got \(sd)") }
        case .uniform(let a, let b):
            guard a.isFinite, b.isFinite, a < b else { throw CohortError.invalidDistribution("uniform needs finite lower < upper, got [\(a), \(b)]") }
        }
        if let l = lower, let u = upper, !(l < u) {
            throw CohortError.invalidDistribution("truncation needs lower < upper, got [\(l), \(u)]")
        }
        if lower != nil || upper != nil {
            let mass = cdf(upper ?? .infinity) - cdf(lower ?? -.infinity)
            guard mass > 1e-12 || isDegenerate else {
                throw CohortError.invalidDistribution("truncation to [\(lower ?? -.infinity), \(upper ?? .infinity)] leaves no probability mass")
            }
        }
    }

    private var isDegenerate: Bool {
        if case .normal(_, let sd) = shape { return sd == 0 }
        return false
    }

    private var isTruncated: Bool { lower != nil || upper != nil }

    /// The value for a standard normal draw `z`.
    public func value(fromStandardNormal z: Double) -> Double {
        if !isTruncated {
            switch shape {
            case .logNormal(let median, let cv): return median * exp(Self.sigma(cv: cv) * z)
            case .normal(let mean, let sd): return mean + sd * z
            case .uniform(let a, let b): return a + (b - a) * StandardNormal.cdf(z)
            }
        }
        if isDegenerate, case .normal(let mean, _) = shape { return min(max(mean, lower ?? mean), upper ?? mean) }
        let a = cdf(lower ?? -.infinity), b = cdf(upper ?? .infinity)
        let x = untruncatedQuantile(a + StandardNormal.cdf(z) * (b - a))
        return min(max(x, lower ?? x), upper ?? x)
    }

    /// The untruncated cumulative distribution function.
    public func cdf(_ x: Double) -> Double {
        switch shape {
        case .logNormal(let median, let cv):
            return x <= 0 ? 0 : StandardNormal.cdf(log(x / median) / Self.sigma(cv: cv))
        case .normal(let mean, let sd):
            if sd == 0 { return x < mean ? 0 : 1 }
            return StandardNormal.cdf((x - mean) / sd)
        case .uniform(let a, let b):
            return min(max((x - a) / (b - a), 0), 1)
        }
    }

    /// The CDF of the (possibly truncated) distribution actually sampled.
    public func sampledCDF(_ x: Double) -> Double {
        guard isTruncated else { return cdf(x) }
        let a = cdf(lower ?? -.infinity), b = cdf(upper ?? .infinity)
        return min(max((cdf(x) - a) / (b - a), 0), 1)
    }

    /// The density of the (possibly truncated) distribution actually sampled.
    public func density(_ x: Double) -> Double {
        if let l = lower, x < l { return 0 }
        if let u = upper, x > u { return 0 }
        let mass = isTruncated ? cdf(upper ?? .infinity) - cdf(lower ?? -.infinity) : 1
        let raw: Double
        switch shape {
        case .logNormal(let median, let cv):
            let s = Self.sigma(cv: cv)
            raw = x <= 0 ? 0 : StandardNormal.pdf(log(x / median) / s) / (x * s)
        case .normal(let mean, let sd):
            raw = sd == 0 ? (x == mean ? .infinity : 0) : StandardNormal.pdf((x - mean) / sd) / sd
        case .uniform(let a, let b):
            raw = (x >= a && x <= b) ? 1 / (b - a) : 0
        }
        return raw / mass
    }

    /// The q-quantile of the (possibly truncated) distribution actually sampled, q in (0, 1).
    public func quantile(_ q: Double) -> Double {
        let a = cdf(lower ?? -.infinity), b = isTruncated ? cdf(upper ?? .infinity) : 1
        return untruncatedQuantile(isTruncated ? a + q * (b - a) : q)
    }

    private func untruncatedQuantile(_ u: Double) -> Double {
        switch shape {
        case .logNormal(let median, let cv): return median * exp(Self.sigma(cv: cv) * StandardNormal.quantile(u))
        case .normal(let mean, let sd): return mean + sd * StandardNormal.quantile(u)
        case .uniform(let a, let b): return a + (b - a) * u
        }
    }

    /// σ of the underlying normal of a log-normal with coefficient of variation `cv`.
    public static func sigma(cv: Double) -> Double { log(1 + cv * cv).squareRoot() }
}
