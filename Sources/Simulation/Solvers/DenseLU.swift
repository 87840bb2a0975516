/// In-place LU factorisation with partial pivoting of a dense row-major n×n matrix.
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
    }
    return true
}

/// Solves `A x = b` in place (b becomes x) with the factors from `luFactor`.
@inlinable
func luSolve(_ a: UnsafePointer<Double>, _ n: Int, _ pivots: UnsafePointer<Int32>, _ b: UnsafeMutablePointer<Double>) {
    for k in 0..<n {
        let p = Int(pivots[k])
        if p != k { swap(&b[k], &b[p]) }
    }
    for i in 0..<n {
        var s = b[i]
        for j in 0..<i { s -= a[i * n + j] * b[j] }
        b[i] = s
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
        var s = b[i]
        for j in (i + 1)..<max(i + 1, n) { s -= a[i * n + j] * b[j] }
        b[i] = s / a[i * n + i]
    }
}
