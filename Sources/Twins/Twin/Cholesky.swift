import LinearAlgebra

/// `IndividualFit`'s spelling of `CholeskyFactor`: nil instead of an error when the matrix is not positive
/// definite.
struct Cholesky {
    private let factor: CholeskyFactor

    init?(_ a: [Double], n: Int) {
        guard let factor = try? CholeskyFactor(a, size: n) else { return nil }
        self.factor = factor
    }

    /// Solves A x = b.
    func solve(_ b: [Double]) -> [Double] { factor.solve(b) }

    /// A⁻¹ (row-major).
    func inverse() -> [Double] { factor.inverse() }
}
