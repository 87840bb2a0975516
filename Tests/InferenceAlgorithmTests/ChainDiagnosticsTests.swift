import Testing
@testable import Inference

/// Fixed chains and the figures ArviZ 0.23.4 computes for them: `az.ess(X, method="bulk"|"mean")`,
/// `az.rhat(X, method="rank"|"split")`. Chains are AR(1) series (numpy default_rng(20261123)); set A rounded to
/// 4 decimals (4 × 40 draws), set B to 1 decimal (3 × 31 draws: an odd length and many ties).
enum ArvizReference {
    static let chainsA: [[Double]] = [
        [0.3511, 3.7063, 2.8172, 1.0723, 1.9079, 1.2354, 0.2539, 1.9888, 2.3572, 1.5109, -0.3695, -0.1179, 0.0112,
         1.4926, 1.4605, 2.7273, 2.4315, 2.3685, 2.2971, 1.1589, -0.8753, -0.2414, -0.498, -2.006, -1.8848, -2.2038,
         -4.0572, -1.8736, -0.9952, -1.3444, 0.1795, -0.454, -0.1259, -1.0464, 0.8304, 1.3685, 1.8268, 2.3714,
         -0.9531, 0.0655],
        [0.0554, 0.7523, -1.7497, -0.2206, -0.4242, 0.0829, 0.2666, 0.2094, 1.8401, 1.3869, 0.7858, 2.009, 0.7161,
         -0.402, -0.9296, -1.1937, -2.0674, -1.7461, -0.1663, -1.4796, -0.5634, -0.7646, -0.6724, 0.716, 1.2076,
         1.9825, 2.8794, -0.0681, -1.0997, 1.8193, 1.1726, 3.0351, 1.9991, 2.1801, 0.8103, 0.6834, 0.6553, 0.972,
         1.4966, 2.7745],
        [-0.1429, -1.8057, -1.3944, -0.821, -1.7871, 0.5477, 0.0575, 0.487, -0.2014, 0.9159, 1.5147, 0.8087, 0.8569,
         -0.6762, -0.8695, -1.7257, -1.131, -0.2884, -0.238, 0.497, 2.9454, 0.508, 1.2674, 0.6311, 2.0999, 1.4512,
         1.7854, 1.8494, 3.2711, -0.1243, -0.2091, 1.0139, 0.1853, 0.8428, 1.0722, 0.1824, 0.5115, 0.6989, 1.1704,
         -0.0654],
        [0.3125, 1.6927, 0.8236, -0.7203, 0.1439, -2.0398, -0.8086, 1.276, 1.1516, -0.1985, -0.091, 1.0969, 2.8054,
         2.7153, 0.0011, 1.5945, 0.1075, -0.2422, -0.2753, 0.8546, 0.0614, 0.5252, 1.442, 2.0552, 0.6226, -0.501,
         -0.4992, 0.1468, -0.1835, 1.193, 1.1611, 1.0215, -0.389, -0.032, -1.0027, -2.5706, -1.4375, -1.1151,
         -0.9172, -0.5832],
    ]
    static let chainsB: [[Double]] = [
        [1.7, 0.4, 0.5, 1.0, 2.1, 0.7, 1.9, 2.2, -0.1, 1.1, 1.2, 0.8, -1.5, -1.1, 2.4, 1.2, 1.2, 1.0, 1.2, 0.3, -0.2,
         -0.4, 1.0, -0.2, -0.5, -2.1, -0.7, -1.0, 1.3, 0.2, -1.5],
        [0.4, 1.9, 3.5, -0.1, 0.6, 1.0, 0.2, -1.1, 1.0, -1.3, -1.2, -0.6, -1.4, -0.3, 0.5, -0.6, 0.5, -0.4, 0.6, 1.0,
         1.6, 0.4, -0.1, -1.5, 0.6, -0.7, -0.2, -0.4, -1.2, -0.9, -0.2],
        [2.1, 1.7, -0.1, 0.2, 1.2, 1.0, 1.9, 2.2, 2.3, 2.1, 0.7, 0.7, 2.3, 0.7, 1.8, 2.5, 2.6, 3.1, 0.7, 2.3, 0.8, 0.1,
         1.7, 1.8, 2.9, 3.3, 0.8, 2.8, 0.6, 0.6, 3.6],
    ]
    /// (ess bulk, ess mean, rhat rank, rhat split)
    static let figuresA = (20.066826519570093, 20.264065608610295, 1.173605402990994, 1.1724115872780725)
    static let figuresB = (12.058445666547358, 11.774564772788617, 1.2115173353656017, 1.2178309708072033)
}

@Suite struct ChainDiagnosticsTests {
    /// The same formulas as arviz; arviz's FFT autocovariance and our direct sums differ only by rounding.
    let relativeTolerance = 1e-10

    func expectClose(_ actual: Double, _ expected: Double, _ quantity: String) {
        #expect(abs(actual - expected) <= relativeTolerance * abs(expected), "\(quantity): \(actual) vs \(expected)")
    }

    @Test func matchesArvizOnFixedChains() throws {
        for (label, chains, figures) in [("A", ArvizReference.chainsA, ArvizReference.figuresA),
                                         ("B", ArvizReference.chainsB, ArvizReference.figuresB)] {
            expectClose(ChainDiagnostics.bulkEffectiveSampleSize(chains), figures.0, "\(label) ess bulk")
            expectClose(ChainDiagnostics.meanEffectiveSampleSize(chains), figures.1, "\(label) ess mean")
            expectClose(ChainDiagnostics.rankRHat(chains), figures.2, "\(label) rhat rank")
            expectClose(ChainDiagnostics.splitRHat(chains), figures.3, "\(label) rhat split")
        }
    }

    @Test func tooFewDrawsOrChainsGiveNaN() throws {
        #expect(ChainDiagnostics.bulkEffectiveSampleSize([[1, 2, 3]]).isNaN)
        #expect(ChainDiagnostics.rankRHat([[1, 2, 3, 4, 5]]).isNaN)
        #expect(ChainDiagnostics.splitRHat([[1, 2, 3, 4], [1, .nan, 3, 4]]).isNaN)
    }

    @Test func constantChainsHaveFullSampleSize() throws {
        #expect(ChainDiagnostics.meanEffectiveSampleSize([[2, 2, 2, 2], [2, 2, 2, 2]]) == 8)
    }
}
