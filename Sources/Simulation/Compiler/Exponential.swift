import Foundation

/// e^x for the compiled programs, the same bits on the scalar path and in the batched lanes.
///
/// The scalar interpreter and the batched evaluators must agree bit for bit (an ensemble's lanes reproduce the
/// scalar runs), and a model such as Boehm_JProteomeRes2014 evaluates `exp(−k·t)` at every right-hand side, where
/// sixteen libm calls per batched operation cost about a tenth of the simulation. Both paths therefore use this
/// function: for |x| < 512 the table-driven method of Tang (ACM TOMS 15, 1989) as refined in ARM's optimized-routines
/// (used by glibc and musl since 2018), with a Taylor polynomial; everything else (|x| ≥ 512, where the result
/// overflows, underflows into subnormals or is close to; infinities and NaN) goes to libm's `exp`.
///
/// x = k·ln2/128 + r with k = round(128 x / ln 2) and |r| ≤ ln 2/256 (ln 2/128 split so that k·hi is exact), then
/// e^x = 2^(k/128) · e^r, where 2^(k/128) = 2^⌊k/128⌋ · H_j (1 + T_j), j = k mod 128, from a 128-entry table of doubles
/// H_j and their relative tails T_j, and e^r − 1 ≈ r + r²/2 + r³/6 + r⁴/24 + r⁵/120 (truncation below 2⁻⁶⁰ of the
/// result). The table is computed once, in double-double arithmetic, from 2^(1/128) (seven double-double square roots
/// of 2). Against glibc's `exp` on 2.1·10⁶ arguments in (−1, 1), (−20, 20) and (−512, 512) (`ExponentialTests`):
/// at most 1 ulp apart, the same bits for 99.9 %.
@usableFromInline
enum Exponential {
    /// 128 / ln 2, and the shift that rounds x·128/ln 2 to an integer in the low bits of the sum (2^52 + 2^51).
    static let scaledInverseLn2 = 0x1.71547652b82fep0 * 128
    static let roundingShift = 0x1.8p52
    /// −ln 2/128 in two parts: a head of 36 significant bits (k·head is exact for |k| < 2^17) and the rest.
    static let negatedLn2Head: Double = -0x1.62e42fefa0000p-1 / 128
    static let negatedLn2Tail: Double = {
        // ln 2 as a double-double (hi, lo); hi − head is exact (same binade, fewer bits)
        let hi = 0x1.62e42fefa39efp-1, lo = 0x1.abc9e3b39803fp-56
        return -(((hi - 0x1.62e42fefa0000p-1) + lo) / 128)
    }()
    /// Taylor coefficients of e^r − 1 − r: 1/2, 1/6, 1/24, 1/120.
    static let c2 = 0.5, c3 = 1.0 / 6, c4 = 1.0 / 24, c5 = 1.0 / 120

    /// Entry 2j: the bits of T_j; entry 2j + 1: the bits of H_j minus j·2^45 (so that adding k·2^45 for any k with
    /// k mod 128 = j gives the bits of 2^⌊k/128⌋ · H_j).
    nonisolated(unsafe) static let table: UnsafePointer<UInt64> = {
        let entries = UnsafeMutablePointer<UInt64>.allocate(capacity: 256)
        var root = DoubleDouble(2, 0)
        for _ in 0..<7 { root = root.squareRoot() }  // 2^(1/128)
        var power = DoubleDouble(1, 0)
        for j in 0..<128 {
            entries[2 * j] = (power.lo / power.hi).bitPattern
            entries[2 * j + 1] = power.hi.bitPattern &- (UInt64(j) << 45)
            power = power * root
        }
        return UnsafePointer(entries)
    }()

    /// e^x (see the type's documentation; libm's value for |x| ≥ 512, infinities and NaN).
    @usableFromInline @inline(__always)
    static func exp(_ x: Double) -> Double {
        guard (x.bitPattern >> 52) & 0x7ff < 0x408 else { return Foundation.exp(x) }
        let shifted = x * scaledInverseLn2 + roundingShift
        let k = shifted.bitPattern
        let kd = shifted - roundingShift
        let r = x + kd * negatedLn2Head + kd * negatedLn2Tail
        let j = Int(truncatingIfNeeded: (k & 127) << 1)
        let tail = Double(bitPattern: table[j])
        let scale = Double(bitPattern: table[j + 1] &+ (k << 45))
        let r2 = r * r
        let tmp = tail + r + r2 * (c2 + r * c3) + r2 * r2 * (c4 + r * c5)
        return scale + scale * tmp
    }

    /// `exp` in every lane of a `SIMD4<Double>` or `SIMD16<Double>` (`U` the unsigned vector of the same width), with
    /// the scalar function's operations per lane; when a lane has |x| ≥ 512, an infinity or NaN, every lane goes
    /// through the scalar function.
    @usableFromInline @inline(__always)
    static func exp<V: SIMD, U: SIMD>(_ x: V, bits _: U.Type) -> V where V.Scalar == Double, U.Scalar == UInt64 {
        let exponents = (unsafeBitCast(x, to: U.self) &>> 52) & 0x7ff
        // 0x800 in the lanes whose biased exponent is at least 0x408 (|x| ≥ 512, infinities, NaN)
        guard ((exponents &+ 0x3f8) & 0x800).wrappedSum() == 0 else {
            var y = x
            for l in 0..<V.scalarCount { y[l] = exp(x[l]) }
            return y
        }
        let shifted = x * scaledInverseLn2 + roundingShift
        let kd = shifted - roundingShift
        let r = x + kd * negatedLn2Head + kd * negatedLn2Tail
        let k = unsafeBitCast(shifted, to: U.self)
        let j = (k & 127) &<< 1
        var tails = U(), heads = U()
        for l in 0..<U.scalarCount {
            tails[l] = table[Int(truncatingIfNeeded: j[l])]
            heads[l] = table[Int(truncatingIfNeeded: j[l]) + 1]
        }
        let tail = unsafeBitCast(tails, to: V.self), scale = unsafeBitCast(heads &+ (k &<< 45), to: V.self)
        let r2 = r * r
        let tmp = tail + r + r2 * (c2 + r * c3) + r2 * r2 * (c4 + r * c5)
        return scale + scale * tmp
    }
}

/// An unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2: about 106 significant bits, for `Exponential.table`.
struct DoubleDouble {
    var hi: Double, lo: Double

    init(_ hi: Double, _ lo: Double) {
        let s = hi + lo
        self.hi = s
        self.lo = lo - (s - hi)  // fast two-sum (|hi| ≥ |lo|)
    }

    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = a.hi * b.hi
        let error = (-p).addingProduct(a.hi, b.hi)  // a.hi·b.hi − p, exactly (fused)
        return DoubleDouble(p, error + (a.hi * b.lo + a.lo * b.hi))
    }

    func squareRoot() -> DoubleDouble {
        let s = hi.squareRoot()
        let residual = hi.addingProduct(-s, s) + lo  // (hi − s²) + lo, the first part exactly (fused)
        return DoubleDouble(s, residual / (2 * s))
    }
}
