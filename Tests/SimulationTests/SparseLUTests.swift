import Foundation
import Sampling
import Testing
@testable import Simulation

@Suite struct SparseLUTests {
    /// A random m × m pattern with about `perRow` off-diagonal entries per row (and, with `withDiagonal`, the
    /// diagonal), values normal; returned as entries and the dense row-major Jacobian.
    func randomJacobian(_ m: Int, perRow: Int, withDiagonal: Bool, seed: UInt64) -> (entries: [(row: Int, column: Int)], dense: [Double]) {
        var stream = RandomStream(seed: seed, purpose: "sparse LU test matrix")
        var entries: [(row: Int, column: Int)] = []
        var dense = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            var columns = Set<Int>()
            if withDiagonal { columns.insert(i) }
            for _ in 0..<perRow { columns.insert(Int(stream.next() % UInt64(m))) }
            for j in columns.sorted() {
                entries.append((i, j))
                dense[i * m + j] = stream.nextNormal()
            }
        }
        return (entries, dense)
    }

    /// The dense LU solution of `(I·d − J) x = b`.
    func denseSolve(_ jacobian: [Double], _ m: Int, shift d: Double, _ b: [Double]) -> [Double]? {
        var a = jacobian.map { -$0 }
        for i in 0..<m { a[i * m + i] += d }
        var pivots = [Int32](repeating: 0, count: m), x = b
        let ok = a.withUnsafeMutableBufferPointer { a in
            pivots.withUnsafeMutableBufferPointer { p in
                guard luFactor(a.baseAddress!, m, p.baseAddress!) else { return false }
                x.withUnsafeMutableBufferPointer { luSolve(a.baseAddress!, m, p.baseAddress!, $0.baseAddress!) }
                return true
            }
        }
        return ok ? x : nil
    }

    /// Diagonal shifts from strongly dominant (small RODAS4 steps) to none: whenever the sparse LU accepts its
    /// pivots, its solution equals the dense LU's to rounding. Both are backward stable with element growth
    /// bounded by the pivoting rule, so with the matrices' condition numbers (≤ 1e6 here, checked) the
    /// solutions agree to 1e6 · 1e3 · ε relative.
    @Test(arguments: [1e3, 10.0, 1.0, 0.1, 0.0])
    func sparseSolveEqualsDenseSolve(shift: Double) {
        var accepted = 0
        for seed in UInt64(1)...40 {
            let m = 5 + Int(seed % 40)
            let (entries, dense) = randomJacobian(m, perRow: 3, withDiagonal: seed % 3 != 0, seed: seed)
            let lu = SparseLU(SparseLUPattern(size: m, entries: entries))
            var stream = RandomStream(seed: seed, purpose: "right-hand side")
            let b = (0..<m).map { _ in stream.nextNormal() }
            guard let reference = denseSolve(dense, m, shift: shift, b) else { continue }
            let ok = dense.withUnsafeBufferPointer { lu.factor(denseJacobian: $0.baseAddress!, diagonalShift: shift) }
            guard ok else { continue }
            accepted += 1
            var x = b
            x.withUnsafeMutableBufferPointer { lu.solve($0.baseAddress!) }
            let scale = reference.map(abs).max()!
            guard scale < 1e6 * b.map(abs).max()! else { continue }  // too ill-conditioned to compare
            let error = zip(x, reference).map { abs($0 - $1) }.max()!
            #expect(error <= 1e9 * Double.ulpOfOne * scale, "seed \(seed), m \(m): \(error) vs scale \(scale)")
        }
        if shift >= 10 { #expect(accepted == 40, "a diagonally dominant matrix needs no pivoting") }
    }

    /// A matrix whose diagonal pivot is far smaller than the entry below it (here exactly zero on the diagonal)
    /// needs row pivoting: the sparse LU must refuse it rather than return inaccurate factors.
    @Test func refusesPivotsThatNeedRowExchanges() {
        // J = [[0, 1], [1, 0]] and no shift: M = −J has zero diagonal.
        let entries = [(row: 0, column: 1), (row: 1, column: 0)]
        let lu = SparseLU(SparseLUPattern(size: 2, entries: entries))
        let dense = [0.0, 1, 1, 0]
        #expect(!dense.withUnsafeBufferPointer { lu.factor(denseJacobian: $0.baseAddress!, diagonalShift: 0) })
        // A diagonal below the threshold (against 1 below it) fails the test too.
        let tiny = SparseLU.pivotThreshold / 10
        #expect(!dense.withUnsafeBufferPointer { lu.factor(denseJacobian: $0.baseAddress!, diagonalShift: tiny) })
        #expect(dense.withUnsafeBufferPointer { lu.factor(denseJacobian: $0.baseAddress!, diagonalShift: 2) })
    }

    /// An arrow matrix (a dense first row and column plus the diagonal) factors with no fill when the hub is
    /// eliminated last, which the minimum-degree order does; the natural order would fill the whole matrix.
    @Test func minimumDegreeOrderAvoidsFillOfAnArrow() {
        let m = 30
        var entries: [(row: Int, column: Int)] = (0..<m).map { ($0, $0) }
        for i in 1..<m { entries += [(0, i), (i, 0)] }
        let pattern = SparseLUPattern(size: m, entries: entries)
        #expect(pattern.entryCount == entries.count)
        #expect(pattern.order.firstIndex(of: 0)! >= m - 2)
        #expect(pattern.updateTargets.count == m - 1)
    }
}

extension SparseLUTests {
    /// Solving several right-hand sides at once performs, for each, the operations of the single solve in the
    /// same order, so the results are bit-identical.
    @Test func solvingManyRightHandSidesEqualsSolvingEachBitForBit() {
        let m = 23, count = 5
        let (entries, dense) = randomJacobian(m, perRow: 3, withDiagonal: true, seed: 7)
        let lu = SparseLU(SparseLUPattern(size: m, entries: entries), rightHandSides: count)
        #expect(dense.withUnsafeBufferPointer { lu.factor(denseJacobian: $0.baseAddress!, diagonalShift: 5) })
        var stream = RandomStream(seed: 7, purpose: "right-hand sides")
        let b = (0..<(m * count)).map { _ in stream.nextNormal() }
        var together = b, oneByOne = b
        together.withUnsafeMutableBufferPointer { lu.solve($0.baseAddress!, count: count) }
        oneByOne.withUnsafeMutableBufferPointer { for j in 0..<count { lu.solve($0.baseAddress! + j * m) } }
        #expect(together == oneByOne)
    }
}
