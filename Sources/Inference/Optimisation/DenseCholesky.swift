/// Dense symmetric positive-definite solves for the small systems of the optimisers (n ≲ 100).
enum DenseCholesky {
    /// Solves A z = b for symmetric positive-definite A (row-major n × n); nil when A is not numerically
    /// positive definite. Complexity: n³/6 multiply–adds.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        guard let l = factor(a, n: n) else { return nil }
        var z = b
        for i in 0..<n {
            var s = z[i]
            for k in 0..<i { s -= l[i * n + k] * z[k] }
            z[i] = s / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * z[k] }
            z[i] = s / l[i * n + i]
        }
        return z.allSatisfy(\.isFinite) ? z : nil
    }

    /// The lower Cholesky factor of A (row-major), or nil when A is not numerically positive definite.
    static func factor(_ a: [Double], n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let root = d.squareRoot()
            l[j * n + j] = root
            for i in (j + 1)..<max(j + 1, n) {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / root
            }
        }
        return l
    }
}
