import Foundation
import ModelIR
import Testing
@testable import Simulation

/// The register programs' optimisations (parameter-only work hoisted out of the per-step programs, products
/// fused into the sums that use them) must not change a single bit of what the expressions evaluate to.
@Suite struct ProgramOptimizationTests {
    static let states: [(String, Double, String)] = [
        ("x", 0.7, "a*x + y*b - c*x*y"),
        ("y", 1.3, "(a/b)^3*x - exp(c*b)*y + x*y*y"),
        ("z", 0.2, "x - a*b*c*z + piecewise(y*x, time > 0.5, 2*y)"),
    ]

    /// The same right-hand side written out in Swift, operation for operation in the parser's order.
    static func reference(_ t: Double, _ v: [Double], a: Double, b: Double, c: Double) -> [Double] {
        let (x, y, z) = (v[0], v[1], v[2])
        let q = a / b
        return [a * x + y * b - c * x * y,
                q * q * q * x - exp(c * b) * y + x * y * y,
                x - a * b * c * z + (t > 0.5 ? y * x : 2 * y)]
    }

    /// A varying quotient of an invariant divisor is a product with the reciprocal the invariant program computes
    /// (one rounding more than the quotient); quotients with a varying divisor keep their division.
    @Test func invariantDivisorsBecomeHoistedReciprocals() throws {
        let model = try CompiledModel(try odeModel(states: [("x", 0.7, "x / b + b / x - x / (x + b)")], parameters: ["b": 0.3]))
        #expect(model.rhs.code.filter { $0.op == .div }.count == 2, "\(model.rhs.code.map(\.op))")
        #expect(model.invariants.code.contains { $0.op == .div })
        let integrator = Integrator(model: model)
        var problem = SimulationProblem(model: model, outputTimes: [0])
        _ = problem.solve(SolverOptions(), using: integrator)
        var out = [0.0]
        for x in [0.7, -3.25, 1e-5, 4e7] {
            integrator.evaluateRHS(0, [x], &out)
            let exact = x / 0.3 + 0.3 / x - x / (x + 0.3)
            #expect(abs(out[0] - exact) <= 4 * (abs(x / 0.3) + abs(0.3 / x) + abs(x / (x + 0.3))).ulp, "x = \(x)")
        }
    }

    @Test func optimisedProgramsEvaluateBitForBitLikeTheExpressions() throws {
        let parameters = ["a": 1.7, "b": 0.3, "c": 2.9]
        let model = try CompiledModel(try odeModel(states: Self.states, parameters: parameters))
        let ops = model.rhs.code.map(\.op)
        #expect(ops.contains(.mulAdd) || ops.contains(.mulSub) || ops.contains(.subMul), "no fused operation in \(ops)")
        #expect(!ops.contains(.exp), "exp(c*b) depends on parameters only and belongs to the invariant program")
        #expect(model.invariants.code.contains { $0.op == .exp })

        let integrator = Integrator(model: model)
        var problem = SimulationProblem(model: model, outputTimes: [0])
        _ = problem.solve(SolverOptions(), using: integrator)  // loads the constants and the invariants
        var out = [Double](repeating: 0, count: 3)
        for (t, v) in [(0.1, [0.7, 1.3, 0.2]), (0.9, [-2.5, 1e-3, 7.25]), (3.0, [1e5, -4.2, 0.125])] {
            integrator.evaluateRHS(t, v, &out)
            let expected = Self.reference(t, v, a: parameters["a"]!, b: parameters["b"]!, c: parameters["c"]!)
            #expect(out.map(\.bitPattern) == expected.map(\.bitPattern), "t = \(t): \(out) vs \(expected)")
        }
        problem.outputTimes = []
    }

    @Test func aDoseToAParameterUpdatesTheHoistedWork() throws {
        // x' = -exp(k)·x with k raised by a dose at t = 1: x(2) = exp(-e^0 · 1 - e^1 · 1)
        let model = try CompiledModel(try odeModel(states: [("x", 1, "-exp(k)*x")], parameters: ["k": 0]))
        var problem = SimulationProblem(model: model, outputTimes: [0, 2])
        problem.doses = [Dose(target: "k", time: 1, amount: 1, kind: .set)]
        let rtol = 1e-10
        let result = try problem.solve(SolverOptions(method: .dopri5, relativeTolerance: rtol, absoluteTolerance: 1e-14))
        let expected = exp(-1 - M_E)
        #expect(abs(result[1, 0] - expected) <= 10 * rtol * expected)
    }
}
