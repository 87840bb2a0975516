/// Four lanes of a structure-of-arrays vector as one `SIMD4<Double>`: the batched integrator's lane sets
/// are a multiple of 4 wide, so every row of lanes splits into such chunks. Elementwise IEEE operations on
/// the chunk give each lane exactly what the scalar operation gives.
extension UnsafeMutablePointer where Pointee == Double {
    /// The four values at `self + j ..< self + j + 4` (no alignment required).
    @inline(__always)
    func lanes(_ j: Int) -> SIMD4<Double> {
        UnsafeRawPointer(self + j).loadUnaligned(as: SIMD4<Double>.self)
    }

    /// The `V.scalarCount` values at `self + j ..< self + j + V.scalarCount` (no alignment required).
    @inline(__always)
    func chunk<V: LaneChunk>(_ j: Int, _: V.Type) -> V {
        UnsafeRawPointer(self + j).loadUnaligned(as: V.self)
    }

    /// Stores `v` at `self + j ..< self + j + V.scalarCount`.
    @inline(__always)
    func setChunk<V: LaneChunk>(_ j: Int, _ v: V) {
        UnsafeMutableRawPointer(self + j).storeBytes(of: v, as: V.self)
    }

    /// Stores `v` at `self + j ..< self + j + 4`.
    @inline(__always)
    func setLanes(_ j: Int, _ v: SIMD4<Double>) {
        UnsafeMutableRawPointer(self + j).storeBytes(of: v, as: SIMD4<Double>.self)
    }
}

/// `abs` per lane (the sign bit cleared, as `Swift.abs` on `Double`).
@inline(__always)
func magnitude(_ v: SIMD4<Double>) -> SIMD4<Double> {
    unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt64>.self) & SIMD4(repeating: ~(1 << 63)), to: SIMD4<Double>.self)
}

/// `-x` per lane (the sign bit flipped, as `-` on `Double`; SIMD's prefix `-` computes 0 − x, which gives
/// +0 for +0 and keeps a NaN's sign).
@inline(__always)
func negated(_ v: SIMD4<Double>) -> SIMD4<Double> {
    unsafeBitCast(unsafeBitCast(v, to: SIMD4<UInt64>.self) ^ SIMD4(repeating: 1 << 63), to: SIMD4<Double>.self)
}

/// `Swift.max(x, y)` per lane: `y >= x ? y : x` (so a NaN in `y` gives `x`, as the scalar `max` does).
@inline(__always)
func maximum(_ x: SIMD4<Double>, _ y: SIMD4<Double>) -> SIMD4<Double> {
    x.replacing(with: y, where: y .>= x)
}


/// A chunk of lanes that the batched loops process per vector operation: `SIMD4<Double>` (the chunks of busy
/// lanes) or `SIMD16<Double>` (a whole 16-lane batch). Loops generic over the chunk vectorise their arithmetic
/// once specialised, but the `SIMD` protocol's generic comparisons stay lane by lane, so the comparisons they
/// need are requirements here, implemented with the concrete types' vector comparisons.
protocol LaneChunk: SIMD where Scalar == Double {
    /// The lanes equal to zero (either sign).
    func zeroLanes() -> SIMDMask<MaskStorage>
    /// The lanes greater than zero.
    func positiveLanes() -> SIMDMask<MaskStorage>
    /// `abs` per lane (the sign bit cleared, as `Swift.abs` on `Double`).
    func magnitudes() -> Self
    /// `Swift.max(self, other)` per lane: `other >= self ? other : self` (a NaN in `other` gives `self`).
    func maximum(_ other: Self) -> Self
    /// 1 in the lanes that are not zero, else 0.
    func nonZeroIndicator() -> Self
    /// `new` in the lanes where `indicator` is not zero, else `self`.
    func selecting(_ new: Self, where indicator: Self) -> Self
    /// `ok` (1 or 0 per lane) with 0 where this pivot fails `SparseLU`'s test: zero, not finite, or smaller in
    /// magnitude than `threshold · largest` (the largest magnitude below it in its column).
    func pivotTest(_ ok: Self, largest: Self, threshold: Double) -> Self
}

extension SIMD4: LaneChunk where Scalar == Double {
    @inline(__always) func zeroLanes() -> SIMDMask<MaskStorage> { self .== 0 }
    @inline(__always) func positiveLanes() -> SIMDMask<MaskStorage> { self .> 0 }
    @inline(__always) func magnitudes() -> Self { magnitude(self) }
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: other .>= self) }
    @inline(__always) func nonZeroIndicator() -> Self { Self(repeating: 0).replacing(with: 1, where: self .!= 0) }
    @inline(__always) func selecting(_ new: Self, where indicator: Self) -> Self { replacing(with: new, where: indicator .!= 0) }
    @inline(__always) func pivotTest(_ ok: Self, largest: Self, threshold: Double) -> Self {
        let size = magnitudes()
        return ok.replacing(with: 0, where: .!((self .!= 0) .& (size .< .infinity) .& (size .>= threshold * largest)))
    }
}

// The same bodies as SIMD4's, on purpose: written in each concrete type so that they resolve to that type's
// vector comparisons (`duplicates` lists the pair).
extension SIMD16: LaneChunk where Scalar == Double {
    @inline(__always) func zeroLanes() -> SIMDMask<MaskStorage> { self .== 0 }
    @inline(__always) func positiveLanes() -> SIMDMask<MaskStorage> { self .> 0 }
    @inline(__always) func magnitudes() -> Self {
        unsafeBitCast(unsafeBitCast(self, to: SIMD16<UInt64>.self) & SIMD16<UInt64>(repeating: ~(1 << 63)), to: Self.self)
    }
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: other .>= self) }
    @inline(__always) func nonZeroIndicator() -> Self { Self(repeating: 0).replacing(with: 1, where: self .!= 0) }
    @inline(__always) func selecting(_ new: Self, where indicator: Self) -> Self { replacing(with: new, where: indicator .!= 0) }
    @inline(__always) func pivotTest(_ ok: Self, largest: Self, threshold: Double) -> Self {
        let size = magnitudes()
        return ok.replacing(with: 0, where: .!((self .!= 0) .& (size .< .infinity) .& (size .>= threshold * largest)))
    }
}
