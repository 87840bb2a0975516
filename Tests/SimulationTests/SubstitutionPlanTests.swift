import Foundation
import Sampling
import Testing
@testable import Simulation

/// The Rosenbrock lanes' LU pieces against the scalar ones they replicate, bit for bit, four lanes at a time
/// with a different matrix per lane: `SparseLaneFactors.factor` and its `solvePlan` against `SparseLU`, and
/// `SubstitutionPlan(denseOrder:)` against `luSolve`.
@Suite struct SubstitutionPlanTests {
    let sparse = SparseLUTests()

    /// Right-hand sides with zeros in some components, so the skipped (zero multiplier) updates are exercised.
    func rightHandSide(_ m: Int, _ stream: inout RandomStream) -> [Double] {
        (0..<m).map { _ in stream.nextUniform() < 0.3 ? 0 : stream.nextNormal() }
    }

    /// Four lanes as one `SIMD4<Double>` chunk, or sixteen as one `SIMD16<Double>` chunk (a whole batch).
    @Test(arguments: [(5, 1), (9, 2), (14, 3)], [false, true])
    func sparseLanesFactorAndSolveAsSparseLU(shape: (m: Int, perRow: Int), wholeBatch: Bool) throws {
        let (m, perRow) = shape, lanes = wholeBatch ? 16 : 4
        var stream = RandomStream(seed: 7, purpose: "substitution plan test")
        // one pattern; the values differ per lane (the structure of the first lane's random Jacobian)
        let (entries, first) = sparse.randomJacobian(m, perRow: perRow, withDiagonal: true, seed: UInt64(m))
        let pattern = SparseLUPattern(size: m, entries: entries)
        let factors = SparseLaneFactors(pattern, lanes: lanes)
        defer { factors.deallocate() }
        // per lane: Jacobian on the pattern and a diagonal shift; in lanes 3, 7, … the diagonal equals the shift,
        // so the first pivot is zero and the lane fails the test (`SparseLU.factor` returns false)
        let shifts = (0..<lanes).map { [50.0, 5.0, 1.5, 0.25][$0 % 4] }
        var jacobians = [[Double]]()
        for _ in 0..<lanes {
            jacobians.append(first.map { $0 == 0 ? 0 : stream.nextNormal() * 3 })
        }
        for j in stride(from: 3, to: lanes, by: 4) {
            for i in 0..<m { jacobians[j][i * m + i] = shifts[j] }
        }
        let jac = UnsafeMutablePointer<Double>.allocate(capacity: m * m * lanes)
        let shift = UnsafeMutablePointer<Double>.allocate(capacity: lanes)
        let busy = UnsafeMutablePointer<Double>.allocate(capacity: lanes)
        let passed = UnsafeMutablePointer<Double>.allocate(capacity: lanes)
        let values = UnsafeMutablePointer<Double>.allocate(capacity: factors.entryCount * lanes)
        let b = UnsafeMutablePointer<Double>.allocate(capacity: m * lanes)
        defer { for p in [jac, shift, busy, passed, values, b] { p.deallocate() } }
        for j in 0..<lanes {
            for e in 0..<(m * m) { jac[e * lanes + j] = jacobians[j][e] }
            shift[j] = shifts[j]
            busy[j] = 1
        }
        [0].withUnsafeBufferPointer { active in
            if wholeBatch {
                factors.factor(jac, shift: shift, into: values, active, busy: busy, passed: passed, chunk: SIMD16<Double>.self)
            } else {
                factors.factor(jac, shift: shift, into: values, active, busy: busy, passed: passed, chunk: SIMD4<Double>.self)
            }
        }
        var rightHandSides = [[Double]]()
        for j in 0..<lanes {
            let rhs = rightHandSide(m, &stream)
            rightHandSides.append(rhs)
            for i in 0..<m { b[i * lanes + j] = rhs[i] }
        }
        [0].withUnsafeBufferPointer {
            if wholeBatch {
                factors.solvePlan.solve(b, values: values, $0, chunk: SIMD16<Double>.self)
            } else {
                factors.solvePlan.solve(b, values: values, $0, chunk: SIMD4<Double>.self)
            }
        }
        var passes = 0
        for j in 0..<lanes {
            let scalar = SparseLU(pattern)
            let ok = jacobians[j].withUnsafeBufferPointer { scalar.factor(denseJacobian: $0.baseAddress!, diagonalShift: shifts[j]) }
            #expect((passed[j] != 0) == ok, "lane \(j): threshold test")
            guard ok else { continue }
            passes += 1
            for v in 0..<factors.entryCount {
                #expect(values[v * lanes + j].bitPattern == scalar.values[v].bitPattern, "lane \(j) value \(v)")
            }
            var x = rightHandSides[j]
            x.withUnsafeMutableBufferPointer { scalar.solve($0.baseAddress!) }
            let lane = (0..<m).map { b[$0 * lanes + j] }
            #expect(lane.map(\.bitPattern) == x.map(\.bitPattern), "lane \(j) solution")
        }
        #expect(passes >= lanes / 2, "the strongly shifted lanes pass the threshold test")
        #expect(passes < lanes, "a lane fails the threshold test, so its (unused) values must not disturb the others")
    }

    /// Eight lanes as two `SIMD4<Double>` chunks, or sixteen as one `SIMD16<Double>` chunk (a whole batch).
    @Test(arguments: [3, 8, 13], [false, true])
    func densePlanSolvesAsLuSolve(m: Int, wholeBatch: Bool) throws {
        let lanes = wholeBatch ? 16 : 8, chunks = wholeBatch ? [0] : [0, 4]
        var stream = RandomStream(seed: UInt64(m), purpose: "dense substitution plan test")
        let plan = SubstitutionPlan(denseOrder: m, lanes: lanes)
        defer { plan.deallocate() }
        let a = UnsafeMutablePointer<Double>.allocate(capacity: m * m * lanes)
        let b = UnsafeMutablePointer<Double>.allocate(capacity: m * lanes)
        defer { a.deallocate(); b.deallocate() }
        var expected = [[Double]]()
        for j in 0..<lanes {
            // a factored matrix as luFactor leaves it (unit-lower L below, reciprocal pivots on the diagonal),
            // with some zero entries; the right-hand side is already permuted (solveLanes swaps rows first)
            var lu = (0..<(m * m)).map { _ in stream.nextUniform() < 0.25 ? 0 : stream.nextNormal() }
            for i in 0..<m { lu[i * m + i] = 1 / (2 + stream.nextUniform()) }
            let rhs = rightHandSide(m, &stream)
            var x = rhs
            let identity = (0..<m).map { Int32($0) }
            lu.withUnsafeBufferPointer { l in
                identity.withUnsafeBufferPointer { p in
                    x.withUnsafeMutableBufferPointer { luSolve(l.baseAddress!, m, p.baseAddress!, $0.baseAddress!) }
                }
            }
            expected.append(x)
            for e in 0..<(m * m) { a[e * lanes + j] = lu[e] }
            for i in 0..<m { b[i * lanes + j] = rhs[i] }
        }
        chunks.withUnsafeBufferPointer {
            if wholeBatch { plan.solve(b, values: a, $0, chunk: SIMD16<Double>.self) } else { plan.solve(b, values: a, $0, chunk: SIMD4<Double>.self) }
        }
        for j in 0..<lanes {
            let lane = (0..<m).map { b[$0 * lanes + j] }
            #expect(lane.map(\.bitPattern) == expected[j].map(\.bitPattern), "lane \(j)")
        }
    }
}
