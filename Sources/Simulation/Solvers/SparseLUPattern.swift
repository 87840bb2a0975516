/// The symbolic half of a sparse LU factorisation of `M = I·d − J` for a fixed structural pattern of `J`
/// (the non-zeros the compiler's Jacobian program computes): an elimination order with little fill, the
/// pattern of `L + U` in that order, and flat index lists that let `SparseLU` refactor and solve with no
/// searching, branching on structure or allocation.
///
/// The order is a greedy minimum-degree order of the symmetrised pattern `J + Jᵀ + I` (ties to the lowest
/// index, so the order is deterministic). Pivots are taken on the diagonal of the permuted matrix
/// (`P M Pᵀ`, symmetric permutation); `SparseLU.factor` checks each pivot against its column and reports
/// failure when it is too small, and the caller then falls back to the dense LU with partial pivoting.
///
/// - Complexity: built once per compiled model, O(m · nnz(L+U) / 64) word operations with bit sets;
///   the refactorisation costs `updateTargets.count` multiply-adds.
struct SparseLUPattern: Sendable {
    /// Matrix size.
    let size: Int
    /// `order[k]` is the original index of the k-th pivot; `position[i]` the pivot number of original index i.
    let order: [Int32]
    let position: [Int32]
    /// Number of stored entries of `L + U` (including the diagonal).
    let entryCount: Int
    /// Index into the value array of the diagonal of pivot k.
    let diagonal: [Int32]
    /// Entries of L in column k: `lowerStart[k] ..< lowerStart[k + 1]` of `lowerEntry` (value index) and
    /// `lowerRow` (pivot number of the row), rows ascending.
    let lowerStart: [Int32]
    let lowerEntry: [Int32]
    let lowerRow: [Int32]
    /// Entries of U in row k right of the diagonal: `upperStart[k] ..< upperStart[k + 1]` of `upperEntry`
    /// and `upperColumn` (pivot number of the column), columns ascending.
    let upperStart: [Int32]
    let upperEntry: [Int32]
    let upperColumn: [Int32]
    /// For pivot k, each L entry (i, k) in order and each U entry (k, j) in order: the value index of (i, j).
    let updateTargets: [Int32]
    /// For each structural entry of `J` given to `init`, the value index it is loaded into.
    let jacobianEntry: [Int32]
    /// For each original index i, the value index of the diagonal entry (i, i).
    let originalDiagonal: [Int32]
    /// For each structural entry of `J` given to `init`, its row-major dense position `row · m + column`.
    let jacobianSource: [Int32]

    /// - Parameters: `size` the matrix size m, `entries` the structural non-zeros (row, column) of `J`
    ///   (original indices, each in 0..<m; duplicates allowed).
    init(size m: Int, entries: [(row: Int, column: Int)]) {
        size = m
        let words = max((m + 63) / 64, 1)
        // Symmetrised adjacency (without the diagonal) for the ordering.
        var adjacency = [UInt64](repeating: 0, count: m * words)
        func set(_ bits: inout [UInt64], _ i: Int, _ j: Int) { bits[i * words + j / 64] |= 1 << UInt64(j % 64) }
        func test(_ bits: [UInt64], _ i: Int, _ j: Int) -> Bool { bits[i * words + j / 64] & (1 << UInt64(j % 64)) != 0 }
        for (i, j) in entries where i != j {
            set(&adjacency, i, j)
            set(&adjacency, j, i)
        }
        var eliminated = [Bool](repeating: false, count: m)
        var order: [Int32] = []
        order.reserveCapacity(m)
        for _ in 0..<m {
            var best = -1, bestDegree = Int.max
            for v in 0..<m where !eliminated[v] {
                var degree = 0
                for w in 0..<words { degree += adjacency[v * words + w].nonzeroBitCount }
                if degree < bestDegree {
                    best = v
                    bestDegree = degree
                }
            }
            eliminated[best] = true
            order.append(Int32(best))
            // Eliminating `best` joins its remaining neighbours into a clique.
            let neighbours = (0..<m).filter { !eliminated[$0] && test(adjacency, best, $0) }
            for u in neighbours {
                for w in 0..<words { adjacency[u * words + w] |= adjacency[best * words + w] }
                adjacency[u * words + u / 64] &= ~(1 << UInt64(u % 64))
                adjacency[u * words + best / 64] &= ~(1 << UInt64(best % 64))
            }
        }
        var position = [Int32](repeating: 0, count: m)
        for (k, v) in order.enumerated() { position[Int(v)] = Int32(k) }
        self.order = order
        self.position = position

        // Filled pattern of the permuted matrix by symbolic right-looking elimination (unsymmetric).
        var filled = [UInt64](repeating: 0, count: m * words)
        for i in 0..<m { set(&filled, i, i) }
        for (i, j) in entries { set(&filled, Int(position[i]), Int(position[j])) }
        for k in 0..<m {
            for i in (k + 1)..<max(k + 1, m) where test(filled, i, k) {
                for j in (k + 1)..<m where test(filled, k, j) { set(&filled, i, j) }
            }
        }
        var index = [Int32](repeating: -1, count: m * m)
        var count = 0
        for i in 0..<m {
            for j in 0..<m where test(filled, i, j) {
                index[i * m + j] = Int32(count)
                count += 1
            }
        }
        entryCount = count
        diagonal = (0..<m).map { index[$0 * m + $0] }
        var lowerStart: [Int32] = [0], lowerEntry: [Int32] = [], lowerRow: [Int32] = []
        var upperStart: [Int32] = [0], upperEntry: [Int32] = [], upperColumn: [Int32] = []
        var updateTargets: [Int32] = []
        for k in 0..<m {
            let rows = ((k + 1)..<max(k + 1, m)).filter { index[$0 * m + k] >= 0 }
            let columns = ((k + 1)..<max(k + 1, m)).filter { index[k * m + $0] >= 0 }
            for i in rows {
                lowerEntry.append(index[i * m + k])
                lowerRow.append(Int32(i))
                for j in columns {
                    precondition(index[i * m + j] >= 0, "sparse LU fill pattern")
                    updateTargets.append(index[i * m + j])
                }
            }
            for j in columns {
                upperEntry.append(index[k * m + j])
                upperColumn.append(Int32(j))
            }
            lowerStart.append(Int32(lowerEntry.count))
            upperStart.append(Int32(upperEntry.count))
        }
        self.lowerStart = lowerStart
        self.lowerEntry = lowerEntry
        self.lowerRow = lowerRow
        self.upperStart = upperStart
        self.upperEntry = upperEntry
        self.upperColumn = upperColumn
        self.updateTargets = updateTargets
        jacobianEntry = entries.map { index[Int(position[$0.row]) * m + Int(position[$0.column])] }
        jacobianSource = entries.map { Int32($0.row * m + $0.column) }
        originalDiagonal = (0..<m).map { index[Int(position[$0]) * m + Int(position[$0])] }
    }
}
