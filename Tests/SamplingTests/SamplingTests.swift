import Testing
@testable import Sampling

@Suite struct RandomStreamTests {
    @Test func sameKeySameDraws() {
        var a = RandomStream(seed: 7, index: 3, purpose: "population")
        var b = RandomStream(seed: 7, index: 3, purpose: "population")
        for _ in 0..<100 { #expect(a.next() == b.next()) }
    }

    @Test func differentKeysDiffer() {
        var a = RandomStream(seed: 7, index: 3, purpose: "population")
        var b = RandomStream(seed: 7, index: 4, purpose: "population")
        var c = RandomStream(seed: 7, index: 3, purpose: "randomisation")
        let x = a.next()
        #expect(x != b.next())
        #expect(x != c.next())
    }

    @Test func uniformIsOpenAndNormalHasUnitMoments() {
        var rng = RandomStream(seed: 1)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        for _ in 0..<n {
            let u = rng.nextUniform()
            #expect(u > 0 && u < 1)
            let z = rng.nextNormal()
            sum += z
            sumSq += z * z
        }
        let mean = sum / Double(n), variance = sumSq / Double(n) - mean * mean
        // 5 standard errors: the mean's SE is 1/sqrt(n), the variance's about sqrt(2/n).
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
    }
}

@Suite struct StandardNormalTests {
    // Reference quantiles from scipy.stats.norm.ppf.
    @Test(arguments: [
        (0.5, 0.0), (0.975, 1.959963984540054), (0.025, -1.9599639845400545), (0.841344746068543, 1.0),
        (1e-10, -6.361340902404056), (0.999, 3.090232306167813), (0.3, -0.5244005127080409),
    ])
    func quantileMatchesScipy(p: Double, z: Double) {
        #expect(abs(StandardNormal.quantile(p) - z) <= 1e-14 * max(1, abs(z)))
    }

    @Test func cdfInvertsQuantile() {
        for p in stride(from: 0.001, to: 1, by: 0.013) {
            #expect(abs(StandardNormal.cdf(StandardNormal.quantile(p)) - p) < 1e-15 * 4)
        }
    }
}

@Suite struct LatinHypercubeTests {
    @Test func oneSampleInEveryStratum() {
        let n = 50, d = 4
        let points = LatinHypercube.sample(count: n, dimensions: d, seed: 11)
        for k in 0..<d {
            let strata = Set(points.map { Int($0[k] * Double(n)) })
            #expect(strata.count == n)
        }
        #expect(points == LatinHypercube.sample(count: n, dimensions: d, seed: 11))
    }
}
