import Testing
@testable import Cohorts
import LinearAlgebra
import Sampling

@Suite("Population distributions")
struct PopulationDistributionTests {
    // Reference values from scipy 1.x: stats.lognorm(sqrt(log(1 + 0.5**2)), scale=2.0) and
    // stats.truncnorm((-12 + 4.5)/2.257, (-1 + 4.5)/2.257, loc=-4.5, scale=2.257) (.ppf, .pdf, .cdf).
    @Test func logNormalMatchesScipy() throws {
        let d = try PopulationDistribution(.logNormal(median: 2, cv: 0.5))
        for (q, expected) in [(0.05, 0.9195692071741298), (0.5, 2.0), (0.95, 4.349862923631541)] {
            #expect(abs(d.quantile(q) - expected) <= 1e-12 * expected, "quantile \(q)")
        }
        #expect(abs(d.density(1.5) - 0.46772395507508946) <= 1e-12)
        #expect(abs(d.value(fromStandardNormal: 0) - 2) <= 1e-15)
    }

    @Test func truncatedNormalMatchesScipy() throws {
        let d = try PopulationDistribution(.normal(mean: -4.5, sd: 2.257), lower: -12, upper: -1)
        for (q, expected) in [(0.05, -8.270578268357577), (0.5, -4.669991284712992), (0.95, -1.7006969838598986)] {
            #expect(abs(d.quantile(q) - expected) <= 1e-10, "quantile \(q)")
        }
        #expect(abs(d.density(-3) - 0.15092723310200234) <= 1e-12)
        #expect(abs(d.sampledCDF(-3) - 0.7948288357927734) <= 1e-12)
        // every draw lies inside the bounds, also for extreme z
        for z in [-40.0, -3, 0, 3, 40] {
            let x = d.value(fromStandardNormal: z)
            #expect(x >= -12 && x <= -1, "z = \(z) gave \(x)")
        }
    }

    @Test(arguments: [
        (PopulationDistribution.Shape.logNormal(median: -1, cv: 0.2), nil as Double?, nil as Double?),
        (.logNormal(median: 1, cv: 0), nil, nil),
        (.normal(mean: 0, sd: -1), nil, nil),
        (.uniform(lower: 2, upper: 1), nil, nil),
        (.normal(mean: 0, sd: 1), 3.0, 1.0),
        (.normal(mean: 0, sd: 1), 60.0, 70.0),
    ])
    func impossibleDistributionsAreRejected(shape: PopulationDistribution.Shape, lower: Double?, upper: Double?) {
        #expect(throws: CohortError.self) { try PopulationDistribution(shape, lower: lower, upper: upper) }
    }

    @Test func choleskyRejectsJointlyImpossibleCorrelations() {
        // pairwise valid, jointly not positive definite
        let m: [Double] = [1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1]
        #expect(throws: CohortError.self) { try CholeskyFactor(correlation: m, size: 3, names: ["a", "b", "c"]) }
    }

    @Test func choleskyReproducesTheMatrix() throws {
        let m: [Double] = [1, 0.3, 0.1, 0.3, 1, -0.2, 0.1, -0.2, 1]
        let l = try CholeskyFactor(correlation: m, size: 3, names: ["a", "b", "c"])
        for i in 0..<3 {
            for j in 0..<3 {
                var s = 0.0
                for k in 0..<3 { s += l.lower[i * 3 + k] * l.lower[j * 3 + k] }
                #expect(abs(s - m[i * 3 + j]) <= 1e-15, "(\(i), \(j))")
            }
        }
    }
}
