import Foundation
import Testing
@testable import Simulation

/// The programs' own e^x: within an ulp of libm's, libm's value outside (−512, 512), and the same bits in vector lanes.
@Suite struct ExponentialTests {
    /// A seeded stream of doubles in [−width, width).
    struct Arguments: Sequence, IteratorProtocol {
        var state: UInt64
        let width: Double
        var remaining: Int
        mutating func next() -> Double? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) / Double(1 << 53) * 2 - 1) * width
        }
    }

    /// ulps between two finite positive doubles.
    func ulps(_ a: Double, _ b: Double) -> UInt64 {
        a.bitPattern > b.bitPattern ? a.bitPattern - b.bitPattern : b.bitPattern - a.bitPattern
    }

    @Test(arguments: [1.0, 20, 511.9])
    func withinOneUlpOfLibm(width: Double) {
        var worst: UInt64 = 0, equal = 0, count = 0
        for x in Arguments(state: 42, width: width, remaining: 700_000) {
            let d = ulps(Exponential.exp(x), Foundation.exp(x))
            worst = max(worst, d)
            equal += d == 0 ? 1 : 0
            count += 1
        }
        #expect(worst <= 1)
        #expect(Double(equal) >= 0.99 * Double(count), "\(equal) of \(count) equal")
    }

    @Test func exactAndSpecialValues() {
        #expect(Exponential.exp(0) == 1)
        #expect(Exponential.exp(-0.0) == 1)
        #expect(Exponential.exp(1e-300) == 1)
        #expect(Exponential.exp(.leastNonzeroMagnitude) == 1)
        #expect(ulps(Exponential.exp(1), M_E) <= 1)
        for x in [512.0, -512, 709.7, 710, -745, -746, 1e308, -1e308, .infinity, -.infinity, .nan] {
            let ours = Exponential.exp(x), libm = Foundation.exp(x)
            #expect(ours.bitPattern == libm.bitPattern || (ours.isNaN && libm.isNaN), "x = \(x)")
        }
        // the largest arguments of the table path: no overflow of the scale
        #expect(ulps(Exponential.exp(511.99999999999994), Foundation.exp(511.99999999999994)) <= 1)
        #expect(ulps(Exponential.exp(-511.99999999999994), Foundation.exp(-511.99999999999994)) <= 1)
    }

    /// Vector lanes give the scalar function's bits, also when some lanes leave the table's range.
    @Test func lanesMatchTheScalarFunction() {
        var xs = Array(Arguments(state: 7, width: 40, remaining: 16 * 200))
        xs[5] = 600; xs[21] = .nan; xs[40] = -.infinity; xs[77] = -800
        for start in stride(from: 0, to: xs.count, by: 16) {
            expectLanesMatchScalar(xs[start..<start + 16], SIMD16<Double>.self, SIMD16<UInt64>.self)
            expectLanesMatchScalar(xs[start..<start + 4], SIMD4<Double>.self, SIMD4<UInt64>.self)
        }
    }

    func expectLanesMatchScalar<V: SIMD, U: SIMD>(_ xs: ArraySlice<Double>, _: V.Type, _: U.Type)
    where V.Scalar == Double, U.Scalar == UInt64 {
        var v = V()
        for l in 0..<V.scalarCount { v[l] = xs[xs.startIndex + l] }
        let lanes = Exponential.exp(v, bits: U.self)
        for l in 0..<V.scalarCount {
            let scalar = Exponential.exp(v[l])
            #expect(lanes[l].bitPattern == scalar.bitPattern || (lanes[l].isNaN && scalar.isNaN), "x = \(v[l])")
        }
    }
}
