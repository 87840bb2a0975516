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
        #expect(Exponential.exp(1) == M_E || ulps(Exponential.exp(1), M_E) <= 1)
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
            var v16 = SIMD16<Double>()
            for l in 0..<16 { v16[l] = xs[start + l] }
            let e16 = Exponential.exp(v16, bits: SIMD16<UInt64>.self)
            for l in 0..<16 {
                let scalar = Exponential.exp(xs[start + l])
                #expect(e16[l].bitPattern == scalar.bitPattern || (e16[l].isNaN && scalar.isNaN))
            }
            var v4 = SIMD4<Double>()
            for l in 0..<4 { v4[l] = xs[start + l] }
            let e4 = Exponential.exp(v4, bits: SIMD4<UInt64>.self)
            for l in 0..<4 {
                let scalar = Exponential.exp(xs[start + l])
                #expect(e4[l].bitPattern == scalar.bitPattern || (e4[l].isNaN && scalar.isNaN))
            }
        }
    }
}
