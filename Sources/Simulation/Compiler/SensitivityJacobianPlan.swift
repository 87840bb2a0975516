/// How the off-diagonal blocks `A_p = ∂(ds_p/dt)/∂x` of a sensitivity-augmented Jacobian are formed from
/// second derivatives: with `ds_ip/dt = Σ_k J_ik s_kp + T_ip` (T the parameter terms, see
/// `SensitivitySystem.parameterTerms`),
///
///     A_p[i][j] = Σ_k ∂J_ik/∂x_j · s_kp + ∂T_ip/∂x_j,
///
/// so the Jacobian program computes the `nodes` (the non-zero `∂J_ik/∂x_j` once, whatever the number of
/// directions P, then the non-zero `∂T_ip/∂x_j`) and `SensitivityJacobianBlocks.evaluate` contracts them with
/// the sensitivities natively: the same sums in the same order (k ascending, then the parameter term) as the
/// symbolic derivative of the right-hand side, instead of `P` times the Hessian's entries in register operations.
struct SensitivityJacobianPlan: Sendable {
    /// Graph nodes to evaluate after the model block's Jacobian entries.
    let nodes: [Int]
    /// Entries of block p (0-based) are `blockStart[p] ..< blockStart[p + 1]`, in row-major order.
    let blockStart: [Int]
    let row: [Int32]
    let column: [Int32]
    /// The Hessian terms of entry q are `termStart[q] ..< termStart[q + 1]` of `termNode` (index into `nodes`)
    /// and `termState` (the k whose sensitivity multiplies it).
    let termStart: [Int32]
    let termNode: [Int32]
    let termState: [Int32]
    /// For entry q, the index into `nodes` of `∂T_ip/∂x_j`, or −1 when it is zero.
    let parameterTermNode: [Int32]

    /// - Parameters: `modelEntries` the model block's Jacobian entries (row-major, as compiled), `parameterTerms`
    ///   the non-zero parameter terms, `directions` P, `stateCount` the model's state count n.
    init(graph g: ExpressionGraph, stateCount n: Int, modelEntries: [(row: Int, column: Int, node: Int)],
         parameterTerms: [(direction: Int, row: Int, node: Int)], directions: Int) {
        var nodes: [Int] = []
        // hessian[i][j]: (node index, k) for k ascending.
        var hessian = [[Int: [(Int32, Int32)]]](repeating: [:], count: n)
        for entry in modelEntries {
            for j in 0..<n {
                let d = g.derivative(entry.node, withRespectTo: g.state(j))
                if g.value(d) == 0 { continue }
                hessian[entry.row][j, default: []].append((Int32(nodes.count), Int32(entry.column)))
                nodes.append(d)
            }
        }
        // termDerivative[p * n + i][j]: node index.
        var termDerivative = [[Int: Int32]](repeating: [:], count: n * directions)
        for term in parameterTerms {
            for j in 0..<n {
                let d = g.derivative(term.node, withRespectTo: g.state(j))
                if g.value(d) == 0 { continue }
                termDerivative[term.direction * n + term.row][j] = Int32(nodes.count)
                nodes.append(d)
            }
        }
        var blockStart = [0], row: [Int32] = [], column: [Int32] = []
        var termStart: [Int32] = [0], termNode: [Int32] = [], termState: [Int32] = [], parameterTermNode: [Int32] = []
        for p in 0..<directions {
            for i in 0..<n {
                let parametric = termDerivative[p * n + i]
                for j in Set(hessian[i].keys).union(parametric.keys).sorted() {
                    row.append(Int32(i))
                    column.append(Int32(j))
                    for (node, k) in hessian[i][j] ?? [] {
                        termNode.append(node)
                        termState.append(k)
                    }
                    termStart.append(Int32(termNode.count))
                    parameterTermNode.append(parametric[j] ?? -1)
                }
            }
            blockStart.append(row.count)
        }
        self.nodes = nodes
        self.blockStart = blockStart
        self.row = row
        self.column = column
        self.termStart = termStart
        self.termNode = termNode
        self.termState = termState
        self.parameterTermNode = parameterTermNode
    }
}
