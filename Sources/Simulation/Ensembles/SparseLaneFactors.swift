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

    /// `SparseLU.factor(denseJacobian:diagonalShift:)` in the chunks `active` (first lanes): loads
    /// `I·shift − J` from `jac` into `values` and factors it. `passed[j]` becomes 1 where lane j is busy
    /// (`busy[j] ≠ 0`) and every pivot is non-zero, finite and passes the threshold test (where `factor`
    /// returns true), else 0; the values of the other lanes are unusable. Allocation-free.
    @inline(__always)
    func factor(_ jac: UnsafeMutablePointer<Double>, shift: UnsafeMutablePointer<Double>,
                into values: UnsafeMutablePointer<Double>, _ active: UnsafeBufferPointer<Int>,
                busy: UnsafeMutablePointer<Double>, passed: UnsafeMutablePointer<Double>) {
        typealias V = SIMD4<Double>
        let zero = V(repeating: 0), threshold = SparseLU.pivotThreshold
        for j in active {
            for v in 0..<entryCount { values.setLanes(v * lanes + j, zero) }
            for k in 0..<loads {
                let target = values + jacobianEntry[k] + j
                target.setLanes(0, target.lanes(0) - jac.lanes(jacobianSource[k] + j))
            }
            let d = shift.lanes(j)
            for i in 0..<size {
                let target = values + originalDiagonal[i] + j
                target.setLanes(0, target.lanes(0) + d)
            }
            var ok = busy.lanes(j) .!= 0
            var next = 0
            for k in 0..<size {
                let pivotEntry = values + diagonal[k] + j, pivot = pivotEntry.lanes(0)
                var largest = zero
                for e in lowerStart[k]..<lowerStart[k + 1] {
                    let v = magnitude(values.lanes(lowerEntry[e] + j))
                    largest.replace(with: v, where: v .>= largest)  // Swift.max(largest, v), NaN ignored
                }
                let size = magnitude(pivot)
                ok .&= (pivot .!= 0) .& (size .< .infinity) .& (size .>= threshold * largest)
                let inverse = 1 / pivot
                pivotEntry.setLanes(0, inverse)
                for e in lowerStart[k]..<lowerStart[k + 1] {
                    let entry = values + lowerEntry[e] + j
                    let l = entry.lanes(0) * inverse
                    entry.setLanes(0, l)
                    for u in upperStart[k]..<upperStart[k + 1] {
                        let target = values + updateTargets[next] + j
                        target.setLanes(0, target.lanes(0) - l * values.lanes(upperEntry[u] + j))
                        next += 1
                    }
                }
            }
            passed.setLanes(j, zero.replacing(with: 1, where: ok))
        }
    }
}
