/// Base-2 logarithm and exponential for the step-size controllers, four values per call: polynomials and bit
/// operations only, so the batched lanes compute all their step factors in a few vector operations and the
/// scalar path (which calls the same functions with its one value in every position) gets bit-identical
/// factors. Accurate to a few units in the last place (`ControllerMathTests`); the controllers only need a few
/// digits, but the step sequences must not depend on the path.
enum ControllerMath {
    /// The bit pattern of sqrt(1/2): subtracting it from x's bits carries into the exponent field exactly when
    /// x's mantissa reaches sqrt(2), which splits x = 2^k · z with z in [sqrt(1/2), sqrt(2)) without a comparison.
    private static let sqrtHalfBits = SIMD4<Int64>(repeating: 0x3FE6_A09E_667F_3BCD)
    /// 1.5 · 2^52: adding it rounds a double of magnitude < 2^51 to an integer held in the low mantissa bits.
    private static let shifter = 6_755_399_441_055_744.0

    /// log2(x) per lane for positive normal x (the controllers clamp to [1e-16, 1e16]); other lanes get
    /// unspecified values, never a trap. Integer and floating-point vector operations only (no comparisons).
    @inline(__always)
    static func log2(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let bits = unsafeBitCast(x, to: SIMD4<Int64>.self)
        let offset = bits &- sqrtHalfBits
        let k = offset &>> 52  // arithmetic shift: the exponent of x relative to z
        let z = unsafeBitCast(bits &- (k &<< 52), to: SIMD4<Double>.self)
        // k as a double: k + 2^52 + 1023 in the mantissa of 2^52 (k + 1023 lies in [0, 2047])
        let biased = unsafeBitCast((k &+ 1023) | SIMD4(repeating: 0x4330_0000_0000_0000), to: SIMD4<Double>.self)
        let e = biased - (4_503_599_627_370_496.0 + 1023)
        // log2 z = (2 / ln 2) atanh s with s = (z − 1) / (z + 1), |s| ≤ 0.1716: the series to s^21 leaves < 1e-17;
        // its Horner steps are fused multiply-adds (one rounding each, the same on every path)
        let s = (z - 1) / (z + 1)
        let s2 = s * s
        var p = SIMD4<Double>(repeating: 1.0 / 21)
        p = SIMD4(repeating: 1.0 / 19).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 17).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 15).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 13).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 11).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 9).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 7).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 5).addingProduct(p, s2)
        p = SIMD4(repeating: 1.0 / 3).addingProduct(p, s2)
        p = SIMD4(repeating: 1).addingProduct(p, s2)
        return e + (s * p) * 2.885_390_081_777_926_8  // 2 / ln 2
    }

    /// x limited to [lower, upper] per lane (NaN stays NaN).
    @inline(__always)
    static func clamp(_ x: SIMD4<Double>, _ lower: Double, _ upper: Double) -> SIMD4<Double> {
        let low = SIMD4<Double>(repeating: lower), high = SIMD4<Double>(repeating: upper)
        let raised = x.replacing(with: low, where: x .< low)
        return raised.replacing(with: high, where: raised .> high)
    }

    /// 2^x per lane for |x| < 1022 (the controllers' exponents stay within ±60); other lanes get unspecified
    /// values, never a trap. Integer and floating-point vector operations only (no comparisons).
    @inline(__always)
    static func exp2(_ x: SIMD4<Double>) -> SIMD4<Double> {
        let rounded = x + shifter
        let n = rounded - shifter  // x rounded to the nearest integer
        // 2^f = e^(f ln 2) with |f| ≤ 1/2: Taylor series to degree 13 leaves < 2e-18
        let r = (x - n) * 0.693_147_180_559_945_3
        var p = SIMD4<Double>(repeating: 1.0 / 6_227_020_800)  // 1 / 13!
        p = SIMD4(repeating: 1.0 / 479_001_600).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 39_916_800).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 3_628_800).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 362_880).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 40_320).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 5_040).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 720).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 120).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 24).addingProduct(p, r)
        p = SIMD4(repeating: 1.0 / 6).addingProduct(p, r)
        p = SIMD4(repeating: 0.5).addingProduct(p, r)
        p = SIMD4(repeating: 1).addingProduct(p, r)
        p = SIMD4(repeating: 1).addingProduct(p, r)
        // 2^n from n's integer (the low mantissa bits of `rounded`)
        let integer = unsafeBitCast(rounded, to: SIMD4<Int64>.self) &- unsafeBitCast(SIMD4(repeating: shifter), to: SIMD4<Int64>.self)
        return p * unsafeBitCast((integer &+ 1023) &<< 52, to: SIMD4<Double>.self)
    }
}
