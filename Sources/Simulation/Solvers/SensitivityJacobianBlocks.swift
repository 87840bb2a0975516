/// The off-diagonal blocks `A_p = ∂(ds_p/dt)/∂x` of a sensitivity-augmented Jacobian, kept sparse: the
/// entries the Jacobian program computes after the model block `J`, in block order (see
/// `CompiledModel.jacobianBlockSize`). `Integrator.evaluateJacobian` writes their values, and the RODAS4
/// stage solve applies them with `addProduct`, so neither the zero entries of the `A_p` nor their
/// `P · m²` dense storage cost anything.
final class SensitivityJacobianBlocks {
    /// Number of Jacobian entries in the model block (they come first in the program's results).
    let modelEntryCount: Int
    let blockCount: Int
    /// Entries of block p are `blockStart[p] ..< blockStart[p + 1]`.
    let blockStart: UnsafeMutablePointer<Int>
    let row: UnsafeMutablePointer<Int32>
    let column: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Double>

    init(model: CompiledModel) {
        let m = model.jacobianBlockSize, positions = model.jacobianPositions
        blockCount = model.jacobianBlockCount
        modelEntryCount = positions.prefix { Int($0) < m * m }.count
        let count = positions.count - modelEntryCount
        blockStart = .allocate(capacity: blockCount + 1)
        row = .allocate(capacity: max(count, 1))
        column = .allocate(capacity: max(count, 1))
        values = .allocate(capacity: max(count, 1))
        values.initialize(repeating: 0, count: max(count, 1))
        blockStart.initialize(repeating: count, count: blockCount + 1)
        var previousBlock = 0
        blockStart[0] = 0
        for k in 0..<count {
            let position = Int(positions[modelEntryCount + k])
            let block = position / (m * m) - 1, within = position % (m * m)
            precondition(block >= previousBlock && block < blockCount, "sensitivity Jacobian entries in block order")
            while previousBlock < block {
                previousBlock += 1
                blockStart[previousBlock] = k
            }
            row[k] = Int32(within / m)
            column[k] = Int32(within % m)
        }
        while previousBlock < blockCount {
            previousBlock += 1
            blockStart[previousBlock] = count
        }
    }

    deinit {
        blockStart.deallocate()
        row.deallocate()
        column.deallocate()
        values.deallocate()
    }

    /// `target += A_p · x` for block `p` (0-based), `x` and `target` of the model's state count.
    @inline(__always)
    func addProduct(block p: Int, _ x: UnsafePointer<Double>, into target: UnsafeMutablePointer<Double>) {
        for k in blockStart[p]..<blockStart[p + 1] {
            target[Int(row[k])] += values[k] * x[Int(column[k])]
        }
    }
}
