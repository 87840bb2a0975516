/// The lower-triangular Cholesky factor L of a correlation matrix C = L Lᵀ, used to correlate standard
/// normal draws (z ↦ L z) for a Gaussian copula.
public struct CholeskyFactor: Sendable, Hashable {
    /// Dimension.
    public let size: Int
    /// Row-major lower triangle (entries above the diagonal are 0).
    public let entries: [Double]

    /// - Parameter matrix: row-major size × size correlation matrix.
    /// - Throws: `CohortError.invalidCorrelation` when the matrix is not symmetric, has a diagonal other than
    ///   1 or entries outside [−1, 1], or is not positive definite (naming the pair or the pivot).
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
        var l = [Double](repeating: 0, count: size * size)
        for j in 0..<size {
            var d = matrix[j * size + j]
            for k in 0..<j { d -= l[j * size + k] * l[j * size + k] }
            guard d > 1e-12 else {
                throw CohortError.invalidCorrelation("the matrix is not positive definite (pivot \(d) at \(names[j])); the correlations given are jointly impossible")
            }
            let ljj = d.squareRoot()
            l[j * size + j] = ljj
            for i in (j + 1)..<max(j + 1, size) {
                var s = matrix[i * size + j]
                for k in 0..<j { s -= l[i * size + k] * l[j * size + k] }
                l[i * size + j] = s / ljj
            }
        }
        self.size = size
        entries = l
    }

    /// Replaces `z` by `L z` (in place; `z.count == size`).
    public func correlate(_ z: inout [Double]) {
        for i in stride(from: size - 1, through: 0, by: -1) {
            var s = 0.0
            for k in 0...i { s += entries[i * size + k] * z[k] }
            z[i] = s
        }
    }
}
