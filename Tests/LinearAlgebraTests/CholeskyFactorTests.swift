import Testing
import LinearAlgebra

@Suite("Cholesky factor")
struct CholeskyFactorTests {
    /// A = L Lᵀ with L = [[2, 0, 0], [1, 3, 0], [−1, 2, 4]]: every step is exact in binary floating point.
    let integerMatrix: [Double] = [4, 2, -2, 2, 10, 5, -2, 5, 21]

    /// A symmetric positive-definite 4 × 4 matrix with condition number 6.2 (numpy.linalg.cond).
    let dense: [Double] = [2.0, 0.6, 0.3, 0.1, 0.6, 1.5, 0.2, 0.4, 0.3, 0.2, 1.1, 0.5, 0.1, 0.4, 0.5, 0.9]

    /// Relative accuracy expected of a backward-stable solve: n · κ · ε, with n = 4 and κ < 7.
    let solveTolerance = 4 * 7 * Double.ulpOfOne

    @Test func exactFactorOfAnIntegerMatrix() throws {
        let c = try CholeskyFactor(integerMatrix, size: 3)
        #expect(c.size == 3)
        #expect(c.lower == [2, 0, 0, 1, 3, 0, -1, 2, 4])
    }

    @Test func onlyTheLowerTriangleIsRead() throws {
        var matrix = integerMatrix
        matrix[1] = .nan
        matrix[5] = 1e300
        #expect(try CholeskyFactor(matrix, size: 3).lower == [2, 0, 0, 1, 3, 0, -1, 2, 4])
    }

    @Test func solveMatchesNumpy() throws {
        // numpy.linalg.solve(B, [1, -2, 0.5, 3])
        let expected = [1.4577490549932932, -3.1660773076454083, -1.9378734300695035, 5.655103036215095]
        let x = try CholeskyFactor(dense, size: 4).solve([1, -2, 0.5, 3])
        for i in 0..<4 {
            #expect(abs(x[i] - expected[i]) <= solveTolerance * abs(expected[i]), "x[\(i)] = \(x[i]), numpy \(expected[i])")
        }
    }

    @Test func inverseMatchesNumpy() throws {
        // numpy.linalg.inv(B), row-major
        let expected = [0.5962687477136934, -0.2536276063894647, -0.1841238873308133, 0.14876234605535904,
                        -0.2536276063894647, 0.8645287160102426, 0.09876844287282033, -0.410925496890623,
                        -0.18412388733081325, 0.09876844287282033, 1.2736251676624801, -0.7310084136080964,
                        0.14876234605535907, -0.410925496890623, -0.7310084136080964, 1.6833313010608462]
        let inverse = try CholeskyFactor(dense, size: 4).inverse()
        let scale = expected.map(abs).max()!
        for k in 0..<16 {
            #expect(abs(inverse[k] - expected[k]) <= solveTolerance * scale, "entry \(k): \(inverse[k]) vs numpy \(expected[k])")
        }
    }

    @Test func lowerTimesIsTheFactorTimesTheVector() throws {
        let c = try CholeskyFactor(integerMatrix, size: 3)
        #expect(c.lowerTimes([1, -1, 0.5]) == [2, -2, -1])
        var z = [1, -1, 0.5]
        c.multiplyLower(&z)
        #expect(z == [2, -2, -1])
    }

    @Test func notPositiveDefiniteNamesTheFailingPivot() {
        // pairwise valid correlations, jointly impossible (eigenvalue −0.8): the third pivot is negative
        let m: [Double] = [1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1]
        #expect(throws: NotPositiveDefinite.self) { try CholeskyFactor(m, size: 3) }
        do {
            _ = try CholeskyFactor(m, size: 3)
        } catch {
            #expect(error.row == 2)
            #expect(error.pivot < 0)
        }
        #expect(throws: NotPositiveDefinite(row: 0, pivot: 0)) { try CholeskyFactor([0, 0, 0, 1], size: 2) }
        #expect(throws: NotPositiveDefinite.self) { try CholeskyFactor([.nan], size: 1) }
        #expect(throws: NotPositiveDefinite.self) { try CholeskyFactor([.infinity], size: 1) }
    }

    @Test func minimumPivotRejectsNearlySingularMatrices() throws {
        let nearlySingular: [Double] = [1, 1 - 1e-14, 1 - 1e-14, 1]
        #expect(try CholeskyFactor(nearlySingular, size: 2).size == 2)
        #expect(throws: NotPositiveDefinite.self) { try CholeskyFactor(nearlySingular, size: 2, minimumPivot: 1e-12) }
    }

    @Test func emptyMatrix() throws {
        let c = try CholeskyFactor([], size: 0)
        #expect(c.lower.isEmpty && c.solve([]).isEmpty && c.inverse().isEmpty)
    }
}
