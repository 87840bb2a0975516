/// The right-hand side of a sensitivity-augmented model formed natively: one register program computes `f`,
/// the model block's Jacobian entries `J` and the non-zero parameter terms `∂f/∂θ_p`
/// (`CompiledModel.sensitivityRHS`); then `ds_p/dt = J·s_p + ∂f/∂θ_p` for each direction p is a sparse
/// product over the entries in row-major order, the same sums in the same order as the symbolic
/// `Σ_j ∂f_i/∂x_j · s_jp + ∂f_i/∂θ_p` of `CompiledModel.rhs` (so results agree to rounding: exactly, unless
/// a state's parameter term is itself a sum of several constants' terms).
///
/// - Complexity: per evaluation, the program (about the cost of `f` and `J`) plus `P · nnz(J)` multiply-adds
///   in a plain loop, instead of `P · nnz(J)` interpreted register operations. No allocation.
final class SensitivityRHS {
    let program: RawProgram
    /// Model state count m and number of directions P.
    let stateCount: Int
    let directionCount: Int
    let entryCount: Int
    let row, column: UnsafeMutablePointer<Int32>
    let termCount: Int
    let termDirection, termRow: UnsafeMutablePointer<Int32>
    /// The Jacobian entries at the current evaluation.
    let entries: UnsafeMutablePointer<Double>

    init?(model: CompiledModel) {
        guard let rhs = model.sensitivityRHS else { return nil }
        let m = model.jacobianBlockSize
        program = RawProgram(rhs)
        stateCount = m
        directionCount = model.jacobianBlockCount
        let positions = model.jacobianPositions.prefix { Int($0) < m * m }
        entryCount = positions.count
        row = .allocate(capacity: max(entryCount, 1))
        column = .allocate(capacity: max(entryCount, 1))
        for (k, position) in positions.enumerated() {
            row[k] = position / Int32(m)
            column[k] = position % Int32(m)
        }
        let terms = model.sensitivityParameterTerms
        termCount = terms.count
        termDirection = .allocate(capacity: max(termCount, 1))
        termRow = .allocate(capacity: max(termCount, 1))
        for (k, term) in terms.enumerated() {
            termDirection[k] = term.direction
            termRow[k] = term.row
        }
        entries = .allocate(capacity: max(entryCount, 1))
        entries.initialize(repeating: 0, count: max(entryCount, 1))
    }

    deinit {
        program.deallocate()
        for p in [row, column, termDirection, termRow] { p.deallocate() }
        entries.deallocate()
    }

    /// `dy = f_aug(state)` (without infusions) with the model's time and states already in `registers`.
    @inline(__always)
    func evaluate(_ registers: UnsafeMutablePointer<Double>, _ state: UnsafePointer<Double>, _ dy: UnsafeMutablePointer<Double>) {
        program.run(registers)
        let m = stateCount, results = program.results
        for i in 0..<m { dy[i] = registers[Int(results[i])] }
        for k in 0..<entryCount { entries[k] = registers[Int(results[m + k])] }
        (dy + m).update(repeating: 0, count: m * directionCount)
        // Entry by entry, all directions at once: independent updates (no chain through one row's sum), and
        // each (direction, row) still sums its entries in entry order.
        let s = state + m, ds = dy + m
        for k in 0..<entryCount {
            let e = entries[k], r = Int(row[k]), c = Int(column[k])
            var offset = 0
            if e.isFinite {
                for _ in 0..<directionCount {
                    ds[offset + r] += e * s[offset + c]
                    offset += m
                }
            } else {
                // a derivative that is infinite at a reachable state (d/dL (L/T)^0.58 at L = 0, where de Pillis 2005
                // starts): a sensitivity that is exactly zero there takes no part (its product's limit), others do
                for _ in 0..<directionCount {
                    let v = s[offset + c]
                    if v != 0 { ds[offset + r] += e * v }
                    offset += m
                }
            }
        }
        for k in 0..<termCount {
            dy[(Int(termDirection[k]) + 1) * m + Int(termRow[k])] += registers[Int(results[m + entryCount + k])]
        }
    }
}
