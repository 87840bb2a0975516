import Testing
import Sampling
@testable import Statistics

@Suite struct PowerCurveTests {
    /// One simulated two-arm trial with normal endpoints (σ = 1, true difference 0.5), Welch-tested at α = 0.05.
    static func trial(_ n: Int, _ rng: inout RandomStream) throws -> Bool {
        let a = (0..<n).map { _ in rng.nextNormal() }, b = (0..<n).map { _ in 0.5 + rng.nextNormal() }
        return try WelchTest(a: a, b: b).pValue < 0.05
    }

    @Test func simulatedPowerAgreesWithTheNormalFormula() throws {
        let curve = try PowerCurve.estimate(sizes: [20, 64, 100], replicates: 2000, seed: 11, trial: Self.trial)
        for point in curve.points {
            // The t test's power is slightly below the z formula at small n; both must be inside a 99.9% Wilson
            // interval around the simulated power once the t test's own deficit (< 0.01 here) is allowed for.
            let analytic = PowerCurve.twoSampleNormalPower(difference: 0.5, standardDeviation: 1, perArm: point.size)
            let wide = try ProportionEstimate(successes: point.significant, total: point.replicates, confidenceLevel: 0.999)
            #expect(wide.interval.lower - 0.01 <= analytic && analytic <= wide.interval.upper + 0.01,
                    "n=\(point.size): simulated \(point.power) \(wide.interval), analytic \(analytic)")
            #expect(point.interval.contains(point.power))
        }
        // Textbook value: n = 64 per arm gives 80 % power for d = 0.5 (z formula: 0.8074).
        expectClose(PowerCurve.twoSampleNormalPower(difference: 0.5, standardDeviation: 1, perArm: 64), 0.807430419432557,
                    rtol: 1e-12, "analytic power")
    }

    @Test func sameSeedSameCurveRegardlessOfSizeOrder() throws {
        let forward = try PowerCurve.estimate(sizes: [10, 30], replicates: 50, seed: 3, trial: Self.trial)
        let backward = try PowerCurve.estimate(sizes: [30, 10], replicates: 50, seed: 3, trial: Self.trial)
        #expect(forward.points[0] == backward.points[1] && forward.points[1] == backward.points[0])
    }

    @Test func badArgumentsAreTypedErrors() {
        #expect(throws: StatisticsError.self) { try PowerCurve.estimate(sizes: [], replicates: 5, seed: 1, trial: Self.trial) }
        #expect(throws: StatisticsError.self) { try PowerCurve.estimate(sizes: [0], replicates: 5, seed: 1, trial: Self.trial) }
        #expect(throws: StatisticsError.self) { try PowerCurve.estimate(sizes: [5], replicates: 0, seed: 1, trial: Self.trial) }
    }
}
