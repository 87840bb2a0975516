/// The batched evaluator for exactly 16 lanes, the width `Ensemble` gives every full batch.
extension Program {
    /// `runBatch` for 16 lanes: every elementary operation is one `SIMD16<Double>` operation (four AVX
    /// vector operations, straight-line, no per-chunk loop), the same IEEE operation per lane as the scalar
    /// `Opcode.apply`, so the results are bit for bit those of the scalar program; library functions
    /// (`exp`, `pow`, …) per lane. Register r of lane l is at `registers[r * 16 + l]`.
    @inlinable
    func runBatch16(_ registers: UnsafeMutablePointer<Double>) {
        typealias V = SIMD16<Double>
        @inline(__always) func load(_ p: UnsafeMutablePointer<Double>) -> V {
            UnsafeRawPointer(p).loadUnaligned(as: V.self)
        }
        @inline(__always) func store(_ p: UnsafeMutablePointer<Double>, _ v: V) {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
        }
        let zero = V(repeating: 0), one = V(repeating: 1)
        code16.withUnsafeBufferPointer { code in
            for instruction in code {
                let d = registers + Int(instruction.dst)
                let a = registers + Int(instruction.a)
                let b = registers + Int(instruction.b)
                let c = registers + Int(instruction.c)
                switch instruction.op {
                case .add: store(d, load(a) + load(b))
                case .sub: store(d, load(a) - load(b))
                case .mul: store(d, load(a) * load(b))
                case .div: store(d, load(a) / load(b))
                case .mulAdd: store(d, load(a) * load(b) + load(c))
                case .mulSub: store(d, load(a) * load(b) - load(c))
                case .subMul: store(d, load(c) - load(a) * load(b))
                case .square:
                    let x = load(a)
                    store(d, x * x)
                case .cube:
                    let x = load(a)
                    store(d, x * x * x)
                case .neg:
                    // a sign flip, as scalar negation (SIMD's prefix − is 0 − x: +0 for +0)
                    let bits = unsafeBitCast(load(a), to: SIMD16<UInt64>.self) ^ SIMD16<UInt64>(repeating: 1 << 63)
                    store(d, unsafeBitCast(bits, to: V.self))
                case .select: store(d, load(c).replacing(with: load(b), where: load(a) .!= 0))
                case .sqrt: store(d, load(a).squareRoot())
                case .exp: store(d, Exponential.exp(load(a), bits: SIMD16<UInt64>.self))
                case .lt: store(d, zero.replacing(with: one, where: load(a) .< load(b)))
                case .le: store(d, zero.replacing(with: one, where: load(a) .<= load(b)))
                case .gt: store(d, zero.replacing(with: one, where: load(a) .> load(b)))
                case .ge: store(d, zero.replacing(with: one, where: load(a) .>= load(b)))
                default: Self.libraryLanes16(instruction.op, d, a, b, c)
                }
            }
        }
    }

    /// The operations without a vector form, lane by lane through `Opcode.apply`. Kept out of line so that the
    /// vector cases' register allocation is not shaped by the library calls.
    @usableFromInline @inline(never)
    static func libraryLanes16(_ op: Opcode, _ d: UnsafeMutablePointer<Double>, _ a: UnsafeMutablePointer<Double>,
                               _ b: UnsafeMutablePointer<Double>, _ c: UnsafeMutablePointer<Double>) {
        for l in 0..<16 { d[l] = Opcode.apply(op, a[l], b[l], c[l]) }
    }
}
