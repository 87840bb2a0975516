import Sampling

/// Power of a trial design over sample sizes, estimated from repeated simulated trials.
///
/// For each size n, `replicates` trials are simulated; trial r at size n draws only from
/// `RandomStream(seed: seed, index: r, purpose: "power/n=<n>")`, so each estimate is reproducible and independent of
/// the other sizes and of evaluation order. Power is the fraction of significant trials with a Wilson interval.
///
/// ```swift
/// let curve = try PowerCurve.estimate(sizes: [20, 40, 80], replicates: 500, seed: 1) { n, rng in
///     let a = (0..<n).map { _ in rng.nextNormal() }, b = (0..<n).map { _ in 0.5 + rng.nextNormal() }
///     return try WelchTest(a: a, b: b).pValue < 0.05
/// }
/// ```
public struct PowerCurve: Sendable, Equatable, Codable {
    /// The estimate at one sample size.
    public struct Point: Sendable, Equatable, Codable {
        /// The sample size passed to the trial function (its meaning — per arm or total — is the caller's).
        public let size: Int
        public let replicates: Int
        public let significant: Int
        /// significant / replicates.
        public let power: Double
        /// Wilson interval for the power.
        public let interval: ConfidenceInterval
    }

    public let points: [Point]
    public let seed: UInt64

    /// Runs `trial(n, &rng)` `replicates` times for every n in `sizes` (in the given order).
    ///
    /// - Parameters:
    ///   - sizes: sample sizes, each ≥ 1.
    ///   - replicates: simulated trials per size, ≥ 1.
    ///   - seed: master seed of the random streams.
    ///   - confidenceLevel: coverage of the power intervals; default 0.95.
    ///   - trial: simulates one trial of size n from the stream and says whether it reached significance.
    /// - Throws: `StatisticsError` for an empty `sizes`, a size or `replicates` below 1, or a bad level; rethrows the
    ///   trial's errors.
    /// - Complexity: sizes.count × replicates calls of `trial`.
    public static func estimate(sizes: [Int], replicates: Int, seed: UInt64, confidenceLevel: Double = 0.95,
                                trial: (Int, inout RandomStream) throws -> Bool) throws -> PowerCurve {
        let method = "PowerCurve.estimate"
        guard !sizes.isEmpty else {
            throw StatisticsError.tooFewValues(method: method, argument: "sizes", count: 0, needed: 1)
        }
        if let bad = sizes.first(where: { $0 < 1 }) {
            throw StatisticsError.invalidArgument(method: method, argument: "sizes", reason: "must all be ≥ 1, got \(bad)")
        }
        guard replicates >= 1 else {
            throw StatisticsError.invalidArgument(method: method, argument: "replicates", reason: "must be ≥ 1, got \(replicates)")
        }
        try Check.level(confidenceLevel, method: method)
        var points: [Point] = []
        for n in sizes {
            var significant = 0
            for r in 0..<replicates {
                var rng = RandomStream(seed: seed, index: r, purpose: "power/n=\(n)")
                if try trial(n, &rng) { significant += 1 }
            }
            let estimate = try ProportionEstimate(successes: significant, total: replicates, confidenceLevel: confidenceLevel)
            points.append(Point(size: n, replicates: replicates, significant: significant, power: estimate.proportion,
                                interval: estimate.interval))
        }
        return PowerCurve(points: points, seed: seed)
    }

    /// Analytic power of a two-sided two-sample z test with `perArm` subjects per arm:
    /// Φ(|δ|/(σ√(2/n)) − z_{1−α/2}) + Φ(−|δ|/(σ√(2/n)) − z_{1−α/2}).
    /// - Parameters: difference δ and standard deviation σ in the endpoint's units; alpha in (0, 1).
    public static func twoSampleNormalPower(difference: Double, standardDeviation: Double, perArm: Int,
                                            alpha: Double = 0.05) -> Double {
        let shift = abs(difference) / (standardDeviation * (2 / Double(perArm)).squareRoot())
        let critical = StandardNormal.quantile(1 - alpha / 2)
        return StandardNormal.cdf(shift - critical) + StandardNormal.cdf(-shift - critical)
    }
}
