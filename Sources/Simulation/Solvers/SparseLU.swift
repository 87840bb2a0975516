/// Numeric sparse LU of `M = I·d − J` on a `SparseLUPattern`: loads the Jacobian's structural non-zeros,
/// refactors with diagonal pivots in the pattern's order, and solves by sparse substitution. The diagonal
/// holds the pivots' reciprocals afterwards (as in `luFactor`).
///
/// A pivot is accepted when `|pivot| ≥ pivotThreshold · max |entries below it in its column|` (threshold
/// pivoting, element growth at most `1 + 1/pivotThreshold` per step); otherwise `factor` returns false and
/// the caller uses the dense LU with partial pivoting for that matrix.
///
/// Not thread-safe (one per integrator). No allocation after `init`.
final class SparseLU {
    /// See the type's description.
    static let pivotThreshold = 1e-3

    let size: Int
    let entryCount: Int
    let values: UnsafeMutablePointer<Double>
    private let work: UnsafeMutablePointer<Double>
    private let order, diagonal, lowerStart, lowerEntry, lowerRow: UnsafeMutablePointer<Int32>
    private let upperStart, upperEntry, upperColumn, updateTargets, jacobianEntry, originalDiagonal: UnsafeMutablePointer<Int32>
    /// Row-major dense position (`row · m + column`) of each structural entry of J.
    private let jacobianSource: UnsafeMutablePointer<Int32>
    private let jacobianEntryCount: Int

    /// The most right-hand sides one `solve(_:count:)` takes.
    let rightHandSideCapacity: Int

    /// - Parameter rightHandSides: the most right-hand sides solved together by `solve(_:count:)`.
    init(_ pattern: SparseLUPattern, rightHandSides: Int = 1) {
        size = pattern.size
        entryCount = pattern.entryCount
        rightHandSideCapacity = max(rightHandSides, 1)
        values = .allocate(capacity: max(entryCount, 1))
        values.initialize(repeating: 0, count: max(entryCount, 1))
        work = .allocate(capacity: max(size * rightHandSideCapacity, 1))
        work.initialize(repeating: 0, count: max(size * rightHandSideCapacity, 1))
        func copy(_ array: [Int32]) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(array.count, 1))
            array.withUnsafeBufferPointer { if !$0.isEmpty { p.initialize(from: $0.baseAddress!, count: $0.count) } }
            return p
        }
        order = copy(pattern.order)
        diagonal = copy(pattern.diagonal)
        lowerStart = copy(pattern.lowerStart)
        lowerEntry = copy(pattern.lowerEntry)
        lowerRow = copy(pattern.lowerRow)
        upperStart = copy(pattern.upperStart)
        upperEntry = copy(pattern.upperEntry)
        upperColumn = copy(pattern.upperColumn)
        updateTargets = copy(pattern.updateTargets)
        jacobianEntry = copy(pattern.jacobianEntry)
        originalDiagonal = copy(pattern.originalDiagonal)
        jacobianSource = copy(pattern.jacobianSource)
        jacobianEntryCount = pattern.jacobianEntry.count
    }

    deinit {
        values.deallocate()
        work.deallocate()
        for p in [order, diagonal, lowerStart, lowerEntry, lowerRow, upperStart, upperEntry, upperColumn, updateTargets,
                  jacobianEntry, originalDiagonal, jacobianSource] { p.deallocate() }
    }

    /// Loads `M = I·d − J` from the dense row-major `m × m` Jacobian (only its structural entries are read)
    /// and factors it.
    /// - Returns: false when a pivot fails the threshold test, is zero or is not finite (then the values are
    ///   unusable; factor the dense matrix instead).
    func factor(denseJacobian jacobian: UnsafePointer<Double>, diagonalShift d: Double) -> Bool {
        values.update(repeating: 0, count: entryCount)
        for k in 0..<jacobianEntryCount { values[Int(jacobianEntry[k])] -= jacobian[Int(jacobianSource[k])] }
        for i in 0..<size { values[Int(originalDiagonal[i])] += d }
        var next = 0
        for k in 0..<size {
            let pivot = values[Int(diagonal[k])]
            let lower = Int(lowerStart[k])..<Int(lowerStart[k + 1])
            var largest = 0.0
            for e in lower { largest = max(largest, abs(values[Int(lowerEntry[e])])) }
            guard pivot != 0, pivot.isFinite, abs(pivot) >= SparseLU.pivotThreshold * largest else { return false }
            let inverse = 1 / pivot
            values[Int(diagonal[k])] = inverse
            let upper = Int(upperStart[k])..<Int(upperStart[k + 1])
            for e in lower {
                let l = values[Int(lowerEntry[e])] * inverse
                values[Int(lowerEntry[e])] = l
                for u in upper {
                    values[Int(updateTargets[next])] -= l * values[Int(upperEntry[u])]
                    next += 1
                }
            }
        }
        return true
    }

    /// Solves `M x = b` in place (b becomes x) with the factors of the last successful `factor`.
    @inline(__always)
    func solve(_ b: UnsafeMutablePointer<Double>) {
        let x = work
        for k in 0..<size { x[k] = b[Int(order[k])] }
        for k in 0..<size {
            let xk = x[k]
            if xk == 0 { continue }
            for e in Int(lowerStart[k])..<Int(lowerStart[k + 1]) { x[Int(lowerRow[e])] -= values[Int(lowerEntry[e])] * xk }
        }
        for k in stride(from: size - 1, through: 0, by: -1) {
            var sum = x[k]
            for e in Int(upperStart[k])..<Int(upperStart[k + 1]) { sum -= values[Int(upperEntry[e])] * x[Int(upperColumn[e])] }
            x[k] = sum * values[Int(diagonal[k])]
        }
        for k in 0..<size { b[Int(order[k])] = x[k] }
    }

    /// Solves `M x_j = b_j` in place for `count` right-hand sides stored one after another (`b + j · m`),
    /// all at once: each factor entry is loaded once and applied to every right-hand side (the work is
    /// interleaved, so the inner loop runs over contiguous values). Each solution is computed with the same
    /// operations in the same order as `solve(_:)` would.
    /// - Precondition: `count ≤ rightHandSideCapacity`.
    @inline(__always)
    func solve(_ b: UnsafeMutablePointer<Double>, count: Int) {
        let m = size, x = work
        for k in 0..<m {
            let source = Int(order[k]), row = x + k * count
            for j in 0..<count { row[j] = b[j * m + source] }
        }
        for k in 0..<m {
            let pivotRow = x + k * count
            for e in Int(lowerStart[k])..<Int(lowerStart[k + 1]) {
                let l = values[Int(lowerEntry[e])], target = x + Int(lowerRow[e]) * count
                for j in 0..<count { target[j] -= l * pivotRow[j] }
            }
        }
        for k in stride(from: m - 1, through: 0, by: -1) {
            let target = x + k * count
            for e in Int(upperStart[k])..<Int(upperStart[k + 1]) {
                let u = values[Int(upperEntry[e])], source = x + Int(upperColumn[e]) * count
                for j in 0..<count { target[j] -= u * source[j] }
            }
            let inverse = values[Int(diagonal[k])]
            for j in 0..<count { target[j] *= inverse }
        }
        for k in 0..<m {
            let destination = Int(order[k]), row = x + k * count
            for j in 0..<count { b[j * m + destination] = row[j] }
        }
    }
}
