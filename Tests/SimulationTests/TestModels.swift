import Foundation
import ModelIR
@testable import Simulation

/// Builds a model of plain ODEs: each state is a non-constant parameter with a rate rule.
func odeModel(_ id: String = "ode", states: [(String, Double, String)], parameters: [String: Double] = [:],
              events: [Event] = []) throws -> Model {
    Model(id: id,
          parameters: states.map { Parameter(id: $0.0, value: $0.1, constant: false) }
            + parameters.sorted(by: { $0.key < $1.key }).map { Parameter(id: $0.key, value: $0.value) },
          rules: try states.map { .rate(variable: $0.0, math: try ExpressionParser.parse($0.2)) },
          events: events)
}

func parse(_ text: String) throws -> MathExpression { try ExpressionParser.parse(text) }

/// Max over components of |a - b| / (atol + rtol |b|): ≤ 1 means "within tolerance".
func scaledError(_ a: [Double], _ b: [Double], rtol: Double, atol: Double) -> Double {
    zip(a, b).map { abs($0 - $1) / (atol + rtol * abs($1)) }.max() ?? 0
}

/// The final row of a result.
func lastRow(_ r: SimulationResult) -> [Double] { Array(r.values.suffix(r.names.count)) }

/// Least-squares slope of log(error) against log(step).
func convergenceSlope(steps: [Double], errors: [Double]) -> Double {
    let x = steps.map { log($0) }, y = errors.map { log($0) }
    let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
    let num = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
    let den = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
    return num / den
}

/// Classic stiff test problems with reference solutions computed independently
/// (scipy `solve_ivp` Radau at rtol 1e-13, atol 1e-16, agreeing with LSODA at rtol 1e-12 to ≤ 4e-10 relative,
/// and with the published values of Hairer & Wanner's test set for HIRES and OREGO).
enum StiffProblems {
    static let robertson = (
        states: [("y1", 1.0, "-0.04*y1 + 1e4*y2*y3"), ("y2", 0.0, "0.04*y1 - 1e4*y2*y3 - 3e7*y2^2"), ("y3", 0.0, "3e7*y2^2")],
        end: 40.0, reference: [0.7158270687195, 9.18553476456e-06, 0.2841637457458])
    static let vanDerPol = (
        states: [("y1", 2.0, "y2"), ("y2", 0.0, "1000*(1 - y1^2)*y2 - y1")],
        end: 3000.0, reference: [-1.510606936744, 0.001178380000731])
    static let hires = (
        states: [("y1", 1.0, "-1.71*y1 + 0.43*y2 + 8.32*y3 + 0.0007"), ("y2", 0.0, "1.71*y1 - 8.75*y2"),
                 ("y3", 0.0, "-10.03*y3 + 0.43*y4 + 0.035*y5"), ("y4", 0.0, "8.32*y2 + 1.71*y3 - 1.12*y4"),
                 ("y5", 0.0, "-1.745*y5 + 0.43*y6 + 0.43*y7"),
                 ("y6", 0.0, "-280*y6*y8 + 0.69*y4 + 1.71*y5 - 0.43*y6 + 0.69*y7"),
                 ("y7", 0.0, "280*y6*y8 - 1.81*y7"), ("y8", 0.0057, "-280*y6*y8 + 1.81*y7")],
        end: 321.8122,
        reference: [0.0007371312573325, 0.0001442485726316, 5.888729740967e-05, 0.001175651343283, 0.002386356198831,
                    0.006238968252741, 0.002849998395185, 0.002850001604815])
    static let orego = (
        states: [("y1", 1.0, "77.27*(y2 - y1*y2 + y1 - 8.375e-6*y1^2)"), ("y2", 2.0, "(-y2 - y1*y2 + y3)/77.27"),
                 ("y3", 3.0, "0.161*(y1 - y3)")],
        end: 360.0, reference: [1.000814870319, 1228.17852155, 132.0554942847])
}
