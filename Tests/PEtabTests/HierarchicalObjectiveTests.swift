import Foundation
import Inference
import ModelFormats
import Simulation
import Testing

/// `HierarchicalPEtabObjective` on the tiny problem (both observables normal): `scale` multiplies obsA (lin,
/// normal, noise 0.3 or sigmaA) and nothing else, so it is solved in closed form; k and A0 are model inputs and
/// sigmaA, sigma noise parameters, so they stay outer.
@Suite("Hierarchical PEtab objective")
struct HierarchicalObjectiveTests {
    static let rtol = 1e-10

    func objectives() throws -> (full: PEtabObjective, reduced: HierarchicalPEtabObjective) {
        let observables = TinyPEtabProblem.observables.replacingOccurrences(of: "laplace", with: "normal")
        let problem = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write(replacing: ["observables.tsv": observables]))
        let full = try PEtabObjective(problem, options: SolverOptions(relativeTolerance: Self.rtol, absoluteTolerance: 1e-14))
        return (full, HierarchicalPEtabObjective(full))
    }

    /// k (log10), A0, sigmaA (log), sigma.
    let x = [log10(0.7), 2.5, log(0.3), 0.2]

    @Test func findsTheScalingFactorOnly() throws {
        let (_, reduced) = try objectives()
        #expect(reduced.scalingParameterNames == ["scale"])
        #expect(reduced.parameterNames == ["k", "A0", "sigmaA", "sigma"])
        #expect(reduced.lowerBounds == [-2, 0.1, log(0.01), 0.01])
    }

    @Test func valueIsTheFullObjectiveMinimisedOverTheScale() throws {
        let (full, reduced) = try objectives()
        let point = try #require(reduced.fullPoint(x))
        #expect(point[0] == x[0] && point[1] == x[1] && point[3] == x[2] && point[4] == x[3])
        let v = reduced.value(at: x, gradient: nil)
        #expect(v == full.value(at: point, gradient: nil))
        // The closed-form scale is the minimum along the scale: both neighbours are higher, and d f/d scale = 0
        // (to the sensitivities' accuracy, a multiple of rtol).
        for delta in [-1e-3, 1e-3] {
            var moved = point
            moved[2] += delta
            #expect(full.value(at: moved, gradient: nil) > v)
        }
        let (_, g) = full.valueAndGradient(at: point)
        #expect(abs(g[2]) <= 1e-6, "d f / d scale = \(g[2])")
    }

    @Test func gradientAndJacobianMatchFiniteDifferences() throws {
        let (_, reduced) = try objectives()
        let (v, g) = reduced.valueAndGradient(at: x)
        #expect(v.isFinite)
        let model = try #require(reduced.leastSquaresModel(at: x))
        #expect(model.gradient == g && model.value == v)
        let n = x.count
        for i in 0..<n {
            let h = 1e-5
            var up = x, down = x
            up[i] += h
            down[i] -= h
            let fd = (reduced.value(at: up, gradient: nil) - reduced.value(at: down, gradient: nil)) / (2 * h)
            // Central differences O(h²) ≈ 1e-9 relative; sensitivities to a multiple of rtol.
            #expect(abs(g[i] - fd) <= 1e-6 * max(1, abs(fd)), "\(reduced.parameterNames[i]): \(g[i]) vs \(fd)")
        }
        // k and A0 enter no σ: their gradient is Jᵀr with the variable-projection Jacobian (whose projection
        // removes only directions orthogonal to r at the optimal scale).
        let r = model.residuals
        for i in 0..<2 {
            let jtr = r.indices.reduce(0) { $0 + model.jacobian[$1 * n + i] * r[$1] }
            #expect(abs(g[i] - jtr) <= 1e-8 * max(1, abs(g[i])), "\(reduced.parameterNames[i]): \(g[i]) vs \(jtr)")
        }
    }

    @Test func aFitIsAStationaryPointOfTheFullProblem() throws {
        let (full, reduced) = try objectives()
        let options = OptimisationOptions(gradientTolerance: 1e-5, functionTolerance: 0, stepTolerance: 0)
        let fit = ReflectiveTrustRegion(options: options).minimise(reduced, from: x)
        #expect(fit.exit == .gradientTolerance, "\(fit.exit) \(fit.gradientNorm) \(fit.iterations) \(fit.x) \(fit.value)")
        let expanded = reduced.expand(MultiStartResult(runs: [StartRun(index: 0, resamples: 0, result: fit)],
                                                       parameterNames: reduced.parameterNames, seed: 1, wallSeconds: 0))
        #expect(expanded.parameterNames == full.parameterNames)
        let point = expanded.runs[0].result.x
        #expect(point.count == 5 && expanded.runs[0].result.value == fit.value)
        #expect(full.value(at: point, gradient: nil) == fit.value)
        // The full problem's projected gradient there: the outer part is the reduced one (≤ the tolerance at the
        // stop), the scale's part is zero up to the sensitivities' accuracy (a multiple of rtol).
        let (_, g) = full.valueAndGradient(at: point)
        for i in 0..<5 {
            let moved = min(max(point[i] - g[i], full.lowerBounds[i]), full.upperBounds[i]) - point[i]
            #expect(abs(moved) <= (i == 2 ? 1e-6 : options.gradientTolerance), "\(full.parameterNames[i]): \(moved)")
        }
    }
}
