import Testing
import LinearAlgebra

@Suite("Symmetric eigendecomposition")
struct SymmetricEigenTests {
    /// The 4 × 4 matrix of the Cholesky tests, and an indefinite one (a₀₀ = −3, a₃₃ = 0).
    let dense: [Double] = [2.0, 0.6, 0.3, 0.1, 0.6, 1.5, 0.2, 0.4, 0.3, 0.2, 1.1, 0.5, 0.1, 0.4, 0.5, 0.9]
    var indefinite: [Double] { var a = dense; a[0] = -3; a[15] = 0; return a }

    /// Absolute accuracy promised for eigenvalues and residuals: n · ε · ‖A‖_F (‖A‖_F < 4 for both matrices), × 4.
    let tolerance = 4 * 4 * Double.ulpOfOne * 4

    @Test(arguments: [0, 1])
    func valuesMatchNumpyAndVectorsDiagonalise(which: Int) throws {
        let a = which == 0 ? dense : indefinite
        // numpy.linalg.eigvalsh, descending.
        let expected = which == 0
            ? [2.6072672458112742, 1.4055972630362328, 1.0681196355276545, 0.4190158556248384]
            : [1.8652048030845523, 1.074499588660118, -0.2433794543871998, -3.096324937357471]
        let e = SymmetricEigen(a, size: 4)
        for k in 0..<4 { #expect(abs(e.values[k] - expected[k]) <= tolerance, "λ\(k) = \(e.values[k])") }
        let v = e.vectors
        for k in 0..<4 {
            for i in 0..<4 {
                // (A v_k − λ_k v_k)_i
                var r = -e.values[k] * v[i * 4 + k]
                for j in 0..<4 { r += a[i * 4 + j] * v[j * 4 + k] }
                #expect(abs(r) <= tolerance)
            }
            for l in 0..<4 {
                var p = 0.0
                for i in 0..<4 { p += v[i * 4 + k] * v[i * 4 + l] }
                #expect(abs(p - (k == l ? 1 : 0)) <= tolerance)
            }
        }
    }

    @Test func diagonalAndEmptyMatrices() throws {
        let e = SymmetricEigen([1, 0, 0, 0, 3, 0, 0, 0, 2], size: 3)
        #expect(e.values == [3, 2, 1])
        #expect(e.vectors == [0, 0, 1, 1, 0, 0, 0, 1, 0])
        #expect(SymmetricEigen([], size: 0).values.isEmpty)
    }

    @Test func onlyTheLowerTriangleIsRead() throws {
        var a = dense
        a[1] = .nan
        a[7] = 1e300
        #expect(SymmetricEigen(a, size: 4) == SymmetricEigen(dense, size: 4))
    }
}
