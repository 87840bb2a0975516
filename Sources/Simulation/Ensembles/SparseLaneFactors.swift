/// `SparseLU` on structure-of-arrays lanes: the numeric factorisation of `I·d − J` with a model's
/// `SparseLUPattern` and its solve (`solvePlan`), four lanes per `SIMD4<Double>` operation, each lane with
/// `SparseLU`'s operations in `SparseLU`'s order, so every lane whose pivots pass the threshold test gets
/// exactly the scalar path's factors and solutions.
///
/// Offsets are premultiplied by the lane count: value v of lane j at `values[v * lanes + j]`, Jacobian entry
/// at dense position e (`row · n + column`) at `jac[e * lanes + j]`.
struct SparseLaneFactors {
    /// Stored entries of L + U per lane.
    let entryCount: Int
    /// `SparseLU.solve(_:)` as a flat plan on right-hand sides with component i of lane j at `i * lanes + j`.
    let solvePlan: SubstitutionPlan
    private let size: Int
    private let lanes: Int
    private let loads: Int
    private let jacobianEntry, jacobianSource, originalDiagonal, diagonal: UnsafeMutablePointer<Int>
    private let lowerStart, lowerEntry, upperStart, upperEntry, updateTargets: UnsafeMutablePointer<Int>

    init(_ pattern: SparseLUPattern, lanes: Int) {
        self.lanes = lanes
        size = pattern.size
        entryCount = pattern.entryCount
        loads = pattern.jacobianEntry.count
        solvePlan = SubstitutionPlan(sparse: pattern, lanes: lanes)
        func copy(_ values: [Int32], times factor: Int) -> UnsafeMutablePointer<Int> {
            let p = UnsafeMutablePointer<Int>.allocate(capacity: max(values.count, 1))
            for (i, v) in values.enumerated() { (p + i).initialize(to: Int(v) * factor) }
            return p
        }
        jacobianEntry = copy(pattern.jacobianEntry, times: lanes)
        jacobianSource = copy(pattern.jacobianSource, times: lanes)
        originalDiagonal = copy(pattern.originalDiagonal, times: lanes)
        diagonal = copy(pattern.diagonal, times: lanes)
        lowerStart = copy(pattern.lowerStart, times: 1)
        lowerEntry = copy(pattern.lowerEntry, times: lanes)
        upperStart = copy(pattern.upperStart, times: 1)
        upperEntry = copy(pattern.upperEntry, times: lanes)
        updateTargets = copy(pattern.updateTargets, times: lanes)
    }

    func deallocate() {
        solvePlan.deallocate()
        for p in [jacobianEntry, jacobianSource, originalDiagonal, diagonal, lowerStart, lowerEntry, upperStart,
                  upperEntry, updateTargets] { p.deallocate() }
    }

    /// `SparseLU.factor(denseJacobian:diagonalShift:)` in the chunks `active` of `V.scalarCount` lanes
    /// (first lanes; `SIMD4<Double>` chunks of the busy lanes, or one `SIMD16<Double>` chunk for a whole 16-lane
    /// batch): loads `I·shift − J` from `jac` into `values` and factors it. `passed[j]` becomes 1 where lane j is
    /// busy (`busy[j] ≠ 0`) and every pivot is non-zero, finite and passes the threshold test (where `factor`
    /// returns true), else 0; the values of the other lanes are unusable. Allocation-free.
    @inline(__always)
    func factor<V: LaneChunk>(_ jac: UnsafeMutablePointer<Double>, shift: UnsafeMutablePointer<Double>,
                              into values: UnsafeMutablePointer<Double>, _ active: UnsafeBufferPointer<Int>,
                              busy: UnsafeMutablePointer<Double>, passed: UnsafeMutablePointer<Double>, chunk: V.Type) {
        let zero = V(repeating: 0), threshold = SparseLU.pivotThreshold
        for j in active {
            for v in 0..<entryCount { values.setChunk(v * lanes + j, zero) }
            for k in 0..<loads {
                let target = values + jacobianEntry[k] + j
                target.setChunk(0, target.chunk(0, V.self) - jac.chunk(jacobianSource[k] + j, V.self))
            }
            let d = shift.chunk(j, V.self)
            for i in 0..<size {
                let target = values + originalDiagonal[i] + j
                target.setChunk(0, target.chunk(0, V.self) + d)
            }
            // 1 where every pivot so far passed (and the lane is busy), else 0
            var ok = busy.chunk(j, V.self).nonZeroIndicator()
            var next = 0
            for k in 0..<size {
                let pivotEntry = values + diagonal[k] + j, pivot = pivotEntry.chunk(0, V.self)
                var largest = zero
                for e in lowerStart[k]..<lowerStart[k + 1] {
                    largest = largest.maximum(values.chunk(lowerEntry[e] + j, V.self).magnitudes())  // NaN ignored
                }
                ok = pivot.pivotTest(ok, largest: largest, threshold: threshold)
                let inverse = 1 / pivot
                pivotEntry.setChunk(0, inverse)
                for e in lowerStart[k]..<lowerStart[k + 1] {
                    let entry = values + lowerEntry[e] + j
                    let l = entry.chunk(0, V.self) * inverse
                    entry.setChunk(0, l)
                    for u in upperStart[k]..<upperStart[k + 1] {
                        let target = values + updateTargets[next] + j
                        target.setChunk(0, target.chunk(0, V.self) - l * values.chunk(upperEntry[u] + j, V.self))
                        next += 1
                    }
                }
            }
            passed.setChunk(j, ok)
        }
    }
}
