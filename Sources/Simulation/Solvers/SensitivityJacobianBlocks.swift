/// The off-diagonal blocks `A_p = ∂(ds_p/dt)/∂x` of a sensitivity-augmented Jacobian, kept sparse and formed
/// natively from the second derivatives the Jacobian program computes after the model block `J`
/// (`SensitivityJacobianPlan`). `Integrator.evaluateJacobian` calls `evaluate`, and the RODAS4 stage solve
/// applies the blocks with `addProduct`, so neither the zero entries of the `A_p` nor their `P · m²` dense
/// storage cost anything.
final class SensitivityJacobianBlocks {
    /// Number of Jacobian entries in the model block (they come first in the program's results).
    let modelEntryCount: Int
    let blockCount: Int
    let stateCount: Int
    /// Entries of block p are `blockStart[p] ..< blockStart[p + 1]`, row-major.
    let blockStart: UnsafeMutablePointer<Int>
    let row: UnsafeMutablePointer<Int32>
    let column: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<Double>
    /// The plan's second derivatives at the current evaluation, and how entries are formed from them.
    let nodeCount: Int
    let nodeValues: UnsafeMutablePointer<Double>
    let termStart, termNode, termState, parameterTermNode: UnsafeMutablePointer<Int32>

    init(model: CompiledModel) {
        let plan = model.sensitivityJacobian!
        func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            array.withUnsafeBufferPointer { if !$0.isEmpty { p.initialize(from: $0.baseAddress!, count: $0.count) } }
            return p
        }
        modelEntryCount = model.jacobianPositions.count
        blockCount = model.jacobianBlockCount
        stateCount = model.jacobianBlockSize
        blockStart = copy(plan.blockStart)
        row = copy(plan.row)
        column = copy(plan.column)
        values = .allocate(capacity: max(plan.row.count, 1))
        values.initialize(repeating: 0, count: max(plan.row.count, 1))
        nodeCount = plan.nodes.count
        nodeValues = .allocate(capacity: max(nodeCount, 1))
        nodeValues.initialize(repeating: 0, count: max(nodeCount, 1))
        termStart = copy(plan.termStart)
        termNode = copy(plan.termNode)
        termState = copy(plan.termState)
        parameterTermNode = copy(plan.parameterTermNode)
    }

    deinit {
        blockStart.deallocate()
        row.deallocate()
        column.deallocate()
        values.deallocate()
        nodeValues.deallocate()
        for p in [termStart, termNode, termState, parameterTermNode] { p.deallocate() }
    }

    /// Forms every `A_p` entry: `Σ_k ∂J_ik/∂x_j · s_kp (k ascending) + ∂T_ip/∂x_j`, with the plan's nodes at
    /// `registers[results[q]]` and the sensitivities in `state` (after the model's states, direction by direction).
    @inline(__always)
    func evaluate(_ registers: UnsafePointer<Double>, _ results: UnsafePointer<Int32>, _ state: UnsafePointer<Double>) {
        for q in 0..<nodeCount { nodeValues[q] = registers[Int(results[q])] }
        let m = stateCount
        for p in 0..<blockCount {
            let s = state + (p + 1) * m
            for q in blockStart[p]..<blockStart[p + 1] {
                var sum = 0.0
                for t in Int(termStart[q])..<Int(termStart[q + 1]) {
                    let value = nodeValues[Int(termNode[t])], sensitivity = s[Int(termState[t])]
                    // as in `SensitivityRHS`: a zero sensitivity takes no part in a non-finite second derivative's term
                    if value.isFinite || sensitivity != 0 { sum += value * sensitivity }
                }
                let parametric = Int(parameterTermNode[q])
                if parametric >= 0 { sum += nodeValues[parametric] }
                values[q] = sum
            }
        }
    }

    /// Whether every `A_p` entry in column `j` (of any block) is finite.
    func columnIsFinite(_ j: Int) -> Bool {
        for q in 0..<blockStart[blockCount] where column[q] == j && !values[q].isFinite { return false }
        return true
    }

    /// Sets every `A_p` entry in column `j` to `value(p, i)` (block p, row i): the difference-quotient repair of a
    /// column that held a non-finite entry (`Integrator.replaceNonFiniteJacobianColumns`).
    func replaceColumn(_ j: Int, by value: (_ block: Int, _ row: Int) -> Double) {
        for p in 0..<blockCount {
            for q in blockStart[p]..<blockStart[p + 1] where column[q] == j { values[q] = value(p, Int(row[q])) }
        }
    }

    /// `target += A_p · x` for block `p` (0-based), `x` and `target` of the model's state count. The entries
    /// of a block are in row-major order, so each row is summed in a register (in entry order).
    @inline(__always)
    func addProduct(block p: Int, _ x: UnsafePointer<Double>, into target: UnsafeMutablePointer<Double>) {
        var k = blockStart[p]
        let end = blockStart[p + 1]
        while k < end {
            let r = row[k]
            var sum = target[Int(r)]
            repeat {
                sum += values[k] * x[Int(column[k])]
                k += 1
            } while k < end && row[k] == r
            target[Int(r)] = sum
        }
    }
}
