/// In-place LU factorisation with partial pivoting of a dense row-major n×n matrix. The diagonal holds the
/// reciprocals of U's pivots afterwards, so that `luSolve` multiplies instead of dividing on its critical path.
///
/// - Returns: false when a pivot is exactly zero or not finite (the matrix is singular to working precision).
/// - Complexity: n³/3 multiply-adds; no allocation.
@inlinable
func luFactor(_ a: UnsafeMutablePointer<Double>, _ n: Int, _ pivots: UnsafeMutablePointer<Int32>) -> Bool {
    for k in 0..<n {
        var p = k
        var best = abs(a[k * n + k])
        for i in (k + 1)..<max(k + 1, n) where abs(a[i * n + k]) > best {
            best = abs(a[i * n + k])
            p = i
        }
        pivots[k] = Int32(p)
        if best == 0 || !best.isFinite { return false }
        if p != k {
            for j in 0..<n { swap(&a[k * n + j], &a[p * n + j]) }
        }
        let inv = 1 / a[k * n + k]
        for i in (k + 1)..<max(k + 1, n) {
            let l = a[i * n + k] * inv
            a[i * n + k] = l
            if l == 0 { continue }
            for j in (k + 1)..<n { a[i * n + j] -= l * a[k * n + j] }
        }
        a[k * n + k] = inv
    }
    return true
}

/// Solves `A x = b` in place (b becomes x) with the factors from `luFactor`.
///
/// Column-oriented substitution: each eliminated component updates the ones after (before) it, so the
/// multiply-adds of one column are independent (no long dependency chain, as a row-wise dot product
/// would have), and zero components skip their column, which is common for sparse model Jacobians.
@inlinable
func luSolve(_ a: UnsafePointer<Double>, _ n: Int, _ pivots: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>) {
    for k in 0..<n {
        let p = Int(pivots[k])
        if p != k { swap(&b[k], &b[p]) }
    }
    for k in 0..<n {
        let bk = b[k]
        if bk == 0 { continue }
        for i in (k + 1)..<max(k + 1, n) { b[i] -= a[i * n + k] * bk }
    }
    for k in stride(from: n - 1, through: 0, by: -1) {
        let bk = b[k] * a[k * n + k]
        b[k] = bk
        if bk == 0 { continue }
        for i in 0..<k { b[i] -= a[i * n + k] * bk }
    }
}
