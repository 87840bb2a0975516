/// The eigendecomposition A = V Λ Vᵀ of a small dense symmetric matrix (n ≲ 100), by the cyclic Jacobi method.
///
/// Only the lower triangle of A is read (symmetry is not checked). Sweeps of plane rotations (each zeroing one
/// off-diagonal entry, in row-cyclic order) run until the off-diagonal Frobenius norm is below 10⁻¹⁵ of A's
/// Frobenius norm, or for at most 50 sweeps (convergence is quadratic; 6–10 sweeps are typical). The eigenvalues are
/// then accurate to about n·ε·‖A‖ (absolute), and V is orthogonal to about n·ε. Results are reproducible to the bit
/// (fixed rotation order). Non-finite entries give non-finite eigenvalues; callers that need finiteness check it.
///
/// ```swift
/// let e = SymmetricEigen([2, 1, 1, 2], size: 2)   // A = [[2, 1], [1, 2]]
/// e.values                                        // [3, 1]
/// ```
public struct SymmetricEigen: Sendable, Hashable {
    /// The dimension n.
    public let size: Int
    /// The eigenvalues λ₀ ≥ λ₁ ≥ … ≥ λₙ₋₁.
    public let values: [Double]
    /// V, row-major n × n: column k (entries `vectors[i * n + k]`) is the unit eigenvector of `values[k]`.
    public let vectors: [Double]

    /// Decomposes A.
    ///
    /// - Parameters:
    ///   - matrix: A, row-major `size × size` (only the lower triangle is read).
    ///   - size: n ≥ 0.
    /// - Complexity: about 3n³ multiply–adds per sweep.
    public init(_ matrix: [Double], size n: Int) {
        precondition(n >= 0 && matrix.count == n * n, "matrix must hold size × size entries")
        var a = matrix
        for i in 0..<n { for j in 0..<i { a[j * n + i] = a[i * n + j] } }
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        var total = 0.0
        for e in a { total += e * e }
        let threshold = 1e-30 * total
        for _ in 0..<50 {
            var off = 0.0
            for i in 0..<n { for j in 0..<i { off += 2 * a[i * n + j] * a[i * n + j] } }
            guard off > threshold, off.isFinite else { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
                    SymmetricEigen.rotate(&a, &v, p, q, n)
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
        values = order.map { a[$0 * n + $0] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (k, column) in order.enumerated() { for i in 0..<n { sorted[i * n + k] = v[i * n + column] } }
        vectors = sorted
        size = n
    }

    /// One Jacobi rotation in the (p, q) plane that zeroes a_pq (Golub & Van Loan, Algorithm 8.5.1), applied to
    /// A from both sides and to V from the right.
    private static func rotate(_ a: inout [Double], _ v: inout [Double], _ p: Int, _ q: Int, _ n: Int) {
        let apq = a[p * n + q]
        let tau = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        let t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
        let c = 1 / (1 + t * t).squareRoot(), s = t * c
        for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
