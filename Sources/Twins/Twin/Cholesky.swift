/// The Cholesky factor L (row-major, lower triangular) of a symmetric positive-definite n×n matrix, used for
/// Laplace covariances and correlated posterior draws. Returns nil when the matrix is not positive definite.
struct Cholesky {
    let n: Int
    let lower: [Double]

    init?(_ a: [Double], n: Int) {
        precondition(a.count == n * n)
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        self.n = n
        lower = l
    }

    /// Solves A x = b.
    func solve(_ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= lower[i * n + k] * y[k] }
            y[i] /= lower[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= lower[k * n + i] * y[k] }
            y[i] /= lower[i * n + i]
        }
        return y
    }

    /// A⁻¹ (row-major).
    func inverse() -> [Double] {
        var inv = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let column = solve(e)
            for i in 0..<n { inv[i * n + j] = column[i] }
        }
        return inv
    }

    /// L z: turns independent standard normals into a draw with covariance A.
    func multiply(_ z: [Double]) -> [Double] {
        (0..<n).map { i in (0...i).reduce(0) { $0 + lower[i * n + $1] * z[$1] } }
    }
}
