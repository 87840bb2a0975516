import LinearAlgebra

/// The optimisers' spelling of a symmetric positive-definite solve (the factorisation is `CholeskyFactor`).
enum DenseCholesky {
    /// Solves A z = b for symmetric positive-definite A (row-major n × n); nil when A is not numerically
    /// positive definite or z is not finite. Complexity: n³/6 multiply–adds.
    static func solve(_ a: [Double], _ b: [Double], n: Int) -> [Double]? {
        guard let factor = try? CholeskyFactor(a, size: n) else { return nil }
        let z = factor.solve(b)
        return z.allSatisfy(\.isFinite) ? z : nil
    }
}
