import Foundation
import Inference
import ModelFormats
import Simulation
import Testing

@Suite("PEtab residuals")
struct PEtabResidualTests {
    static let rtol = 1e-10

    /// The tiny problem with both observables normal (obsB log10-normal), so that it has a least-squares form.
    func normalObjective() throws -> PEtabObjective {
        let observables = TinyPEtabProblem.observables.replacingOccurrences(of: "laplace", with: "normal")
        let problem = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write(replacing: ["observables.tsv": observables]))
        return try PEtabObjective(problem, options: SolverOptions(relativeTolerance: Self.rtol, absoluteTolerance: 1e-14))
    }

    let x = [log10(0.7), 2.5, log10(1.2), log(0.3), 0.2]

    @Test("Laplace noise has no least-squares form")
    func laplaceHasNoResiduals() throws {
        let problem = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write())
        let f = try PEtabObjective(problem)
        var jacobian: [Double] = []
        #expect(f.residuals(at: x, jacobian: nil) == nil)
        #expect(f.residuals(at: x, jacobian: &jacobian) == nil)
    }

    @Test("the residual Jacobian matches central differences, and Jᵀr is the gradient of the residual part")
    func jacobianMatchesFiniteDifferences() throws {
        let f = try normalObjective()
        var jacobian: [Double] = []
        let r = try #require(f.residuals(at: x, jacobian: &jacobian))
        let plain = try #require(f.residuals(at: x, jacobian: nil))
        let n = x.count
        #expect(r.count == 6 && jacobian.count == 6 * n)
        for m in r.indices { #expect(abs(r[m] - plain[m]) <= 1e3 * Self.rtol * max(1, abs(r[m]))) }
        for i in 0..<n {
            let h = 1e-5
            var up = x, down = x
            up[i] += h
            down[i] -= h
            let ru = try #require(f.residuals(at: up, jacobian: nil)), rd = try #require(f.residuals(at: down, jacobian: nil))
            for m in r.indices {
                let fd = (ru[m] - rd[m]) / (2 * h)
                // As for the gradient test: central differences O(h²) ≈ 1e-9, sensitivities to a multiple of rtol.
                #expect(abs(jacobian[m * n + i] - fd) <= 1e-6 * max(1, abs(fd)), "row \(m), \(f.parameterNames[i])")
            }
        }
        // k, A0 and scale do not enter any σ, so for them d f/d x = Jᵀr exactly (c = Σ ½ log(2πσ²J²) + priors).
        let (_, g) = f.valueAndGradient(at: x)
        for i in 0..<3 {
            let jtr = r.indices.reduce(0) { $0 + jacobian[$1 * n + i] * r[$1] }
            #expect(abs(g[i] - jtr) <= 1e-8 * max(1, abs(g[i])), "\(f.parameterNames[i]): \(g[i]) vs \(jtr)")
        }
        var moved = x
        moved[0] += 0.1
        let rm = try #require(f.residuals(at: moved, jacobian: nil))
        let c0 = f.value(at: x, gradient: nil) - 0.5 * r.reduce(0) { $0 + $1 * $1 }
        let c1 = f.value(at: moved, gradient: nil) - 0.5 * rm.reduce(0) { $0 + $1 * $1 }
        #expect(abs(c0 - c1) <= 1e-8 * max(1, abs(c0)))
    }

    @Test("the least-squares optimiser uses the residuals and converges")
    func leastSquaresFitConverges() throws {
        let f = try normalObjective()
        let result = TrustRegionLeastSquares(options: OptimisationOptions(gradientTolerance: 1e-6)).minimise(f, from: x)
        #expect(result.exit.isConverged, "\(result.exit)")
        #expect(result.value < f.value(at: x, gradient: nil))
        #expect(result.residualEvaluations > 1, "Gauss–Newton was used, not the fallback")
    }
}
