import LinearAlgebra

extension CholeskyFactor {
    /// The factor L of a population's correlation matrix C = L Lᵀ, used to correlate standard normal draws
    /// (z ↦ L z) for a Gaussian copula.
    ///
    /// - Parameters:
    ///   - matrix: row-major size × size correlation matrix.
    ///   - names: the parameter of each row, for error messages.
    /// - Throws: `CohortError.invalidCorrelation` when the matrix is not symmetric, has a diagonal other than
    ///   1 or entries outside [−1, 1], or is not positive definite (pivot ≤ 1e−12; naming the pair or the pivot).
    public init(correlation matrix: [Double], size: Int, names: [String]) throws {
        precondition(matrix.count == size * size && names.count == size)
        for i in 0..<size {
            guard matrix[i * size + i] == 1 else {
                throw CohortError.invalidCorrelation("diagonal entry of \(names[i]) must be 1")
            }
            for j in 0..<size {
                let c = matrix[i * size + j]
                guard c.isFinite, abs(c) <= 1 else {
                    throw CohortError.invalidCorrelation("correlation of \(names[i]) and \(names[j]) must be in [-1, 1], got \(c)")
                }
                guard c == matrix[j * size + i] else {
                    throw CohortError.invalidCorrelation("correlation of \(names[i]) and \(names[j]) is not symmetric")
                }
            }
        }
        do {
            try self.init(matrix, size: size, minimumPivot: 1e-12)
        } catch {
            throw CohortError.invalidCorrelation("the matrix is not positive definite (pivot \(error.pivot) at \(names[error.row])); the correlations given are jointly impossible")
        }
    }
}
