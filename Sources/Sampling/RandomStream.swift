/// A reproducible stream of random numbers keyed by (master seed, index, purpose).
///
/// Streams are *counter-based*: the draws of patient 17 for purpose "population" depend only on the seed,
/// 17 and "population" — never on which thread, shard or order the patients are processed in. Two streams
/// with different keys are statistically independent for practical purposes (the key is mixed by
/// SplitMix64's finaliser, then the stream walks SplitMix64's Weyl sequence from there).
///
/// ```swift
/// var rng = RandomStream(seed: 42, index: 17, purpose: "population")
/// let z = rng.nextNormal()          // standard normal
/// let u = rng.nextUniform()         // uniform on the open interval (0, 1)
/// ```
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64
    @usableFromInline var spareNormal: Double?

    /// - Parameters:
    ///   - seed: the master seed (e.g. a trial's `seed`).
    ///   - index: the entity the stream belongs to (a virtual patient, a start point, a chain).
    ///   - purpose: what the draws are for; different purposes give independent streams for the same index.
    public init(seed: UInt64, index: UInt64 = 0, purpose: String = "") {
        var key = RandomStream.mix(seed &+ 0x9E37_79B9_7F4A_7C15)
        key = RandomStream.mix(key ^ RandomStream.mix(index &+ 0xD1B5_4A32_D192_ED03))
        key = RandomStream.mix(key ^ RandomStream.hash(purpose))
        state = key
    }

    /// Convenience for `Int` indices (must be non-negative).
    public init(seed: UInt64, index: Int, purpose: String = "") {
        precondition(index >= 0, "stream index must be non-negative")
        self.init(seed: seed, index: UInt64(index), purpose: purpose)
    }

    /// The next 64 random bits (SplitMix64).
    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return RandomStream.mix(state)
    }

    /// A uniform draw on the open interval (0, 1): never exactly 0 or 1, so `log(u)` and quantiles are finite.
    @inlinable public mutating func nextUniform() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1.0p-53
    }

    /// A standard normal draw (Box–Muller; the second value of each pair is kept for the next call).
    @inlinable public mutating func nextNormal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        let u1 = nextUniform(), u2 = nextUniform()
        let r = (-2 * _log(u1)).squareRoot(), theta = 2 * Double.pi * u2
        spareNormal = r * _sin(theta)
        return r * _cos(theta)
    }

    /// SplitMix64's finaliser: a bijective mix of 64 bits.
    @inlinable static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes: a stable (platform- and run-independent) hash for purpose strings.
    static func hash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01B3
        }
        return h
    }
}
