import Foundation
import Testing
@testable import Simulation

/// The controllers' four-lane log2/exp2 against libm, and lane independence (each lane's result is what the
/// function gives that value alone, which the bit-identity of the scalar and batched paths relies on).
@Suite struct ControllerMathTests {
    static let samples: [Double] = {
        var values: [Double] = [1e-16, 1e-12, 2.2e-9, 1e-4, 0.0123, 0.5, 0.70710678118654757, 0.70710678118654746,
                                1, 1.0000000000000002, 1.4142135623730951, 1.4142135623730949, 2, 3.7, 1e3, 1e16]
        var x = 1e-16
        while x < 1e16 { values.append(x); x *= 1.37 }
        return values
    }()

    @Test func log2MatchesLibmWithinAFewUlps() {
        for x in Self.samples {
            let approx = ControllerMath.log2(SIMD4(repeating: x))[0]
            let exact = Foundation.log2(x)
            #expect(abs(approx - exact) <= 4 * max(abs(exact), 1).ulp, "log2(\(x)): \(approx) vs \(exact)")
        }
    }

    @Test func exp2MatchesLibmWithinAFewUlps() {
        var x = -60.0
        while x <= 60 {
            let approx = ControllerMath.exp2(SIMD4(repeating: x))[0]
            let exact = Foundation.exp2(x)
            #expect(abs(approx - exact) <= 4 * exact.ulp, "exp2(\(x)): \(approx) vs \(exact)")
            x += 0.173
        }
        for x in [-1000.0, -1021.25, 0, 0.5, -0.5, 1000, 1021.5] {
            let exact = Foundation.exp2(x)
            #expect(abs(ControllerMath.exp2(SIMD4(repeating: x))[0] - exact) <= 4 * exact.ulp, "exp2(\(x))")
        }
    }

    @Test func lanesAreIndependent() {
        let values = SIMD4<Double>(1e-9, 0.37, 1, 12.5)
        let logs = ControllerMath.log2(values), powers = ControllerMath.exp2(-values)
        for i in 0..<4 {
            #expect(logs[i] == ControllerMath.log2(SIMD4(repeating: values[i]))[0])
            #expect(powers[i] == ControllerMath.exp2(SIMD4(repeating: -values[i]))[0])
        }
        // non-finite or non-positive neighbours neither trap nor change a lane's value
        let mixed = SIMD4<Double>(.nan, 0.37, -1, .infinity)
        #expect(ControllerMath.log2(mixed)[1] == logs[1])
        #expect(ControllerMath.exp2(SIMD4(.nan, -0.37, .infinity, -.infinity))[1] == powers[1])
    }
}
