/// The Cholesky factorisation A = L Lᵀ of a small dense symmetric positive-definite matrix (n ≲ 100), with
/// the operations built on it: solves, the inverse, and L z for correlated normal draws.
///
/// Only the lower triangle of A is read (symmetry is not checked). The factor is computed column by column
/// (Cholesky–Crout order, each inner sum running k = 0, 1, …), so results are reproducible to the bit.
/// Factorisation fails when a pivot d_j = a_jj − Σ_k l_jk² is not finite or not above `minimumPivot`: A is then
/// not (numerically) positive definite. Nothing is said about accuracy for ill-conditioned A beyond the usual
/// backward stability of Cholesky (‖ΔA‖ ≲ n·ε·‖A‖).
///
/// ```swift
/// let c = try CholeskyFactor([4, 2, 2, 3], size: 2)   // A = [[4, 2], [2, 3]]
/// c.lower                                             // [2, 0, 1, 1.4142135623730951]
/// c.solve([2, 1])                                     // [0.5, 0]
/// ```
public struct CholeskyFactor: Sendable, Hashable {
    /// The dimension n.
    public let size: Int
    /// L, row-major n × n; entries above the diagonal are 0.
    public let lower: [Double]

    /// Factorises A.
    ///
    /// - Parameters:
    ///   - matrix: A, row-major `size × size` (only the lower triangle is read).
    ///   - size: n ≥ 0.
    ///   - minimumPivot: the smallest pivot accepted is the next double above this (default 0: any positive pivot).
    /// - Throws: `NotPositiveDefinite` naming the first failing pivot's row and value.
    /// - Complexity: n³/6 multiply–adds.
    public init(_ matrix: [Double], size: Int, minimumPivot: Double = 0) throws(NotPositiveDefinite) {
        precondition(size >= 0 && matrix.count == size * size, "matrix must hold size × size entries")
        var l = [Double](repeating: 0, count: size * size)
        for j in 0..<size {
            var d = matrix[j * size + j]
            for k in 0..<j { d -= l[j * size + k] * l[j * size + k] }
            guard d > minimumPivot, d.isFinite else { throw NotPositiveDefinite(row: j, pivot: d) }
            let root = d.squareRoot()
            l[j * size + j] = root
            for i in (j + 1)..<max(j + 1, size) {
                var s = matrix[i * size + j]
                for k in 0..<j { s -= l[i * size + k] * l[j * size + k] }
                l[i * size + j] = s / root
            }
        }
        self.size = size
        lower = l
    }

    /// x with A x = b, by forward substitution with L then back substitution with Lᵀ.
    ///
    /// The result may hold non-finite values when A is nearly singular; callers that need finiteness check it.
    /// - Parameter b: the right-hand side, `size` entries.
    /// - Complexity: n² multiply–adds.
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == size, "right-hand side must have size entries")
        let n = size
        var x = b
        for i in 0..<n {
            var s = x[i]
            for k in 0..<i { s -= lower[i * n + k] * x[k] }
            x[i] = s / lower[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(i + 1, n) { s -= lower[k * n + i] * x[k] }
            x[i] = s / lower[i * n + i]
        }
        return x
    }

    /// A⁻¹, row-major, column j being `solve(e_j)`.
    /// - Complexity: n³ multiply–adds.
    public func inverse() -> [Double] {
        let n = size
        var inverse = [Double](repeating: 0, count: n * n)
        var unit = [Double](repeating: 0, count: n)
        for j in 0..<n {
            unit[j] = 1
            let column = solve(unit)
            unit[j] = 0
            for i in 0..<n { inverse[i * n + j] = column[i] }
        }
        return inverse
    }

    /// Replaces z by L z: independent standard normals z become a draw with covariance A.
    /// - Parameter z: `size` entries, overwritten in place.
    /// - Complexity: n²/2 multiply–adds, no allocation.
    public func multiplyLower(_ z: inout [Double]) {
        precondition(z.count == size, "vector must have size entries")
        let n = size
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = 0.0
            for k in 0...i { s += lower[i * n + k] * z[k] }
            z[i] = s
        }
    }

    /// L z (see `multiplyLower(_:)`).
    public func lowerTimes(_ z: [Double]) -> [Double] {
        var result = z
        multiplyLower(&result)
        return result
    }
}

/// The matrix given to `CholeskyFactor` is not numerically positive definite: the pivot of `row` (0-based)
/// came out as `pivot` (≤ the minimum pivot, or not finite).
public struct NotPositiveDefinite: Error, Sendable, Hashable, CustomStringConvertible {
    public var row: Int
    public var pivot: Double
    public init(row: Int, pivot: Double) {
        self.row = row
        self.pivot = pivot
    }
    public var description: String { "the matrix is not positive definite (pivot \(pivot) at row \(row))" }
}
