import Foundation
import Testing
@testable import Inference

/// The local optimisers, labelled so that a failure names the method.
let optimisers: [(String, any LocalOptimiser)] = (0..<3).map { (optimiserName($0), makeOptimiser($0, options: strict)) }

func optimiserName(_ method: Int) -> String {
    ["trust-region least squares", "projected quasi-Newton", "trust-region reflective"][method]
}

func makeOptimiser(_ method: Int, options: OptimisationOptions) -> any LocalOptimiser {
    switch method {
    case 0: TrustRegionLeastSquares(options: options)
    case 1: ProjectedQuasiNewton(options: options)
    default: ReflectiveTrustRegion(options: options)
    }
}

/// Stop only on the projected-gradient test, so that accuracy follows from `gradientTolerance`.
let strict = OptimisationOptions(gradientTolerance: 1e-8, functionTolerance: 0, stepTolerance: 0,
                                 maxIterations: 5000, maxEvaluations: 50_000)

/// ‖x − x*‖ ≤ ‖∇f‖₂ / λ_min(∇²f) near a minimum; ‖∇f‖₂ ≤ √n · gradientTolerance at an interior point.
/// The factor 2 covers the Hessian's change over that distance.
func distanceBound(dimension: Int, smallestEigenvalue: Double, options: OptimisationOptions = strict) -> Double {
    2 * Double(dimension).squareRoot() * options.gradientTolerance / smallestEigenvalue
}

/// For problems with a non-zero residual a gradient of 1e-8 changes f by less than its rounding error
/// (f ≈ 1), so these use 1e-6, the default.
let moderate = OptimisationOptions(gradientTolerance: 1e-6, functionTolerance: 0, stepTolerance: 0)

func minimise(_ optimiser: any LocalOptimiser, _ objective: some ObjectiveFunction, from x: [Double])
    -> OptimisationResult {
    optimiser.minimise(objective, from: x)
}

@Suite struct LocalOptimiserTests {
    @Test(arguments: [0, 1, 2])
    func rosenbrock2D(method: Int) throws {
        let (name, optimiser) = optimisers[method]
        let result = minimise(optimiser, Rosenbrock(dimension: 2), from: [-1.2, 1])
        // Smallest eigenvalue of the Rosenbrock Hessian at (1, 1): 0.3993607674876216 (numpy.linalg.eigvalsh).
        let bound = distanceBound(dimension: 2, smallestEigenvalue: 0.3993607674876216)
        #expect(result.exit == .gradientTolerance, "\(name): \(result.exit)")
        for v in result.x { #expect(abs(v - 1) <= bound, "\(name): x = \(result.x), bound \(bound)") }
        #expect(result.gradientNorm <= strict.gradientTolerance)
    }

    @Test(arguments: [0, 1, 2])
    func rosenbrock10DValueOnlyAndLeastSquares(method: Int) throws {
        let (name, optimiser) = optimisers[method]
        let start = [Double](repeating: 0.5, count: 10).enumerated().map { $0.element - 0.05 * Double($0.offset) }
        let result = minimise(optimiser, Rosenbrock(dimension: 10), from: start)
        // λ_min of the 10-D chained Rosenbrock Hessian at the optimum: 0.49875174957684837 (numpy).
        let bound = distanceBound(dimension: 10, smallestEigenvalue: 0.49875174957684837)
        #expect(result.exit == .gradientTolerance, "\(name): \(result.exit)")
        for v in result.x { #expect(abs(v - 1) <= bound, "\(name): x = \(result.x)") }
    }

    @Test func leastSquaresFallsBackToQuasiNewtonWithoutResiduals() throws {
        let result = TrustRegionLeastSquares(options: strict).minimise(ValueOnly(base: Rosenbrock(dimension: 2)),
                                                                        from: [-1.2, 1])
        #expect(result.exit == .gradientTolerance)
        #expect(result.residualEvaluations == 1)
        let bound = distanceBound(dimension: 2, smallestEigenvalue: 0.3993607674876216)
        for v in result.x { #expect(abs(v - 1) <= bound) }
    }

    @Test(arguments: [0, 1, 2])
    func linearLeastSquaresMatchesNumpy(method: Int) throws {
        let (name, _) = optimisers[method]
        let optimiser = makeOptimiser(method, options: moderate)
        let problem = LinearLeastSquares(
            a: [1, 2, 0.5, 0.3, -1, 2, 2, 0.1, -0.7, -1, 1, 1, 0.5, 0.5, 0.5, 1.5, -0.3, 0.2],
            b: [1, -2, 0.5, 3, 0.7, -1.1], columns: 3)
        // numpy.linalg.lstsq(A, b); λ_min(AᵀA) = 5.664574757474219.
        let expected = [-0.45885205796983547, 1.2717181536757387, -0.20178196051715758]
        let result = minimise(optimiser, problem, from: [3, -3, 3])
        let bound = distanceBound(dimension: 3, smallestEigenvalue: 5.664574757474219, options: moderate)
        #expect(result.exit == .gradientTolerance, "\(name)")
        for i in 0..<3 { #expect(abs(result.x[i] - expected[i]) <= bound, "\(name): \(result.x)") }
    }

    @Test(arguments: [0, 1, 2])
    func optimumOnABoundUsesTheProjectedGradient(method: Int) throws {
        let (name, optimiser) = optimisers[method]
        // Unconstrained minimum (3, −0.5, −4) lies outside [−1, 2]³ in the first and third coordinate.
        let problem = ShiftedSphere(centre: [3, -0.5, -4], lower: [-1, -1, -1], upper: [2, 2, 2])
        let result = minimise(optimiser, problem, from: [0, 1, 0])
        #expect(result.exit == .gradientTolerance, "\(name): \(result.exit)")
        // Hessian = identity, so the free coordinate is within the gradient tolerance; the others sit on the bound
        // (the reflective method keeps iterates strictly inside, so there within the tolerance of it).
        let onBound = method == 2 ? strict.gradientTolerance : 0
        #expect(abs(result.x[0] - 2) <= onBound && abs(result.x[2] + 1) <= onBound, "\(name): \(result.x)")
        #expect(abs(result.x[1] + 0.5) <= strict.gradientTolerance)
        // The plain gradient is large there; only its projection vanishes.
        #expect(abs(abs(result.x[0] - 3) - 1) <= onBound && result.gradientNorm <= strict.gradientTolerance)
    }

    /// A large-residual minimum (Freudenstein–Roth from (15, −2)): JᵀJ is singular there, so Gauss–Newton
    /// alone converges slowly; the least-squares methods' secant term supplies the missing curvature.
    /// Reference: the root of the gradient by mpmath.findroot at 40 digits (scipy's least_squares at
    /// xtol=ftol=gtol=1e-15 stops 1e-7 away, trf and lm on different sides), value 24.492126839620011; the
    /// Hessian's smallest eigenvalue there is 0.41036.
    @Test(arguments: [0, 2])  // the two least-squares methods
    func largeResidualMinimumIsReachedWithTheSecantTerm(method: Int) throws {
        let (name, optimiser) = optimisers[method]
        let result = minimise(optimiser, FreudensteinRoth(), from: [15, -2])
        let bound = distanceBound(dimension: 2, smallestEigenvalue: 0.41036)
        #expect(result.exit == .gradientTolerance, "\(name): \(result.exit) \(result.gradientNorm) \(result.x)")
        #expect(abs(result.x[0] - 11.412778986902094) <= bound, "\(name): \(result.x)")
        #expect(abs(result.x[1] - (-0.8968052532744765)) <= bound, "\(name): \(result.x)")
        #expect(abs(result.value - 24.492126839620011) <= 1e-12 * 24.5)
        // Gauss–Newton's linear rate on a singular JᵀJ would need hundreds of iterations
        #expect(result.iterations <= 60, "\(name): \(result.iterations) iterations")
    }

    @Test(arguments: [0, 1, 2])
    func exponentialDecayFitMatchesScipy(method: Int) throws {
        let (name, optimiser) = optimisers[method]
        // Data: 2.5·exp(−0.8 t) + 0.05·N(0,1) at 12 times (numpy default_rng(3)); reference fit from
        // scipy.optimize.least_squares(xtol=ftol=gtol=1e-15): objective 0.030401510820246083,
        // λ_min(JᵀJ) = 1.1300479853209469.
        let times = (0..<12).map { 5 * Double($0) / 11 }
        let data = [2.6020459560692593, 1.6100765694314876, 1.2289676453108527, 0.8113889727915096,
                    0.5611337331217612, 0.39502166980013215, 0.18109116183527973, 0.1844968574106172,
                    0.09305253562984084, 0.2609072618346404, 0.07715928269751793, 0.02815755750475568]
        let result = minimise(optimiser, ExponentialDecayFit(times: times, data: data), from: [1, 1])
        let bound = distanceBound(dimension: 2, smallestEigenvalue: 1.1300479853209469)
        #expect(result.exit == .gradientTolerance, "\(name): \(result.exit)")
        #expect(abs(result.x[0] - 2.5460244383090953) <= bound, "\(name): \(result.x)")
        #expect(abs(result.x[1] - 0.8447002556005732) <= bound, "\(name): \(result.x)")
        #expect(abs(result.value - 0.030401510820246083) <= bound * strict.gradientTolerance * 2 + 1e-15)
    }

    @Test(arguments: [0, 1, 2])
    func estimatedNoiseParameterUsesTheFullGradient(method: Int) throws {
        let (name, _) = optimisers[method]
        let optimiser = makeOptimiser(method, options: moderate)
        let data = [1.2, 0.7, 2.9, 1.8, 0.4, 1.1, 2.2, 1.5]
        let n = Double(data.count)
        let mean = data.reduce(0, +) / n
        let sigma = (data.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        // Maximum likelihood: the sample mean and the biased standard deviation. The Hessian there is
        // diag(n/σ², 2n/σ²), so λ_min = n/σ².
        let result = minimise(optimiser, NormalWithUnknownNoise(data: data), from: [5, 5])
        let bound = distanceBound(dimension: 2, smallestEigenvalue: n / (sigma * sigma), options: moderate)
        #expect(result.exit == .gradientTolerance, "\(name): \(result.exit)")
        #expect(abs(result.x[0] - mean) <= bound && abs(result.x[1] - sigma) <= bound, "\(name): \(result.x)")
    }

    @Test(arguments: [0, 1, 2])
    func infiniteStartIsAStatusNotACrash(method: Int) throws {
        let problem = ShiftedSphere(centre: [0, 0], lower: [-2, -2], upper: [2, 2], feasibleSum: 1)
        let result = minimise(optimisers[method].1, problem, from: [1, 1])
        #expect(result.exit == .nonFiniteStart)
        #expect(result.value == .infinity && result.evaluations == 1)
    }

    @Test(arguments: [0, 1, 2])
    func stepsIntoAnInfiniteRegionAreRejected(method: Int) throws {
        // Minimum (0.9, 0.9) is outside the feasible region x + y ≤ 1: the optimiser must stay finite and
        // stop at a limit or test, never trap.
        let problem = ShiftedSphere(centre: [0.9, 0.9], lower: [-2, -2], upper: [2, 2], feasibleSum: 1)
        let result = minimise(optimisers[method].1, problem, from: [-1.5, -1.5])
        #expect(result.value.isFinite)
        #expect(result.x[0] + result.x[1] <= 1)
        #expect(result.value < 0.5 * 2 * 2.4 * 2.4)
    }

    @Test func evaluationLimitIsHonoured() throws {
        let options = OptimisationOptions(gradientTolerance: 1e-14, maxEvaluations: 7)
        for optimiser in (0..<3).map({ makeOptimiser($0, options: options) }) {
            let result = optimiser.minimise(Rosenbrock(dimension: 2), from: [-1.2, 1])
            #expect(result.exit == .maxEvaluations)
            #expect(result.evaluations + result.residualEvaluations <= 7 + 1)
        }
    }
}
