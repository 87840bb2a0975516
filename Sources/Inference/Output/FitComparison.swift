import Foundation
import ModelFormats

/// A PEtab problem's measurements beside the model simulated at a parameter point, grouped into panels (one
/// per experiment condition × observable): what `twin fit` draws as fits-vs-data plots and writes as `fits.tsv`.
///
/// Each row's `simulation` is the objective's own value for that measurement (the same run, output row and
/// resolved observable formula with the row's overrides), so `residual` is exactly the weighted residual of
/// `PEtabObjective.residuals(at:jacobian:)`. Each panel's curves are a second run of the same experiment on
/// a dense time grid (which contains the measurement times). A simulation that fails gives NaN simulations and
/// no curve; it does not throw.
public struct FitComparison: Sendable {
    /// One measurement and its simulation.
    public struct Row: Sendable, Equatable {
        public var observable: String
        /// The simulation condition id, preceded by `preequilibrationId:` for a preequilibrated measurement.
        public var condition: String
        /// Model time (`inf` for a steady-state measurement).
        public var time: Double
        public var measurement: Double
        /// The simulated observable (NaN when the simulation failed).
        public var simulation: Double
        /// The noise parameter σ at the point (on the transformed scale).
        public var sigma: Double
        /// (ψ(simulation) − ψ(measurement)) / σ, ψ the observable's transformation (the sign of the objective's
        /// residuals, opposite to `petab.calculate_residuals`).
        public var residual: Double
    }

    /// A simulated observable on a panel's dense grid.
    public struct Curve: Sendable, Equatable {
        /// "simulation", or the observable-parameter overrides when the panel's measurements use several.
        public var label: String
        public var values: [Double]
    }

    /// One observable in one experiment condition.
    public struct Panel: Sendable, Equatable {
        public var observable: String
        public var condition: String
        public var transformation: PEtabTransformation
        /// Indices into `rows`, in measurement-table order.
        public var rows: [Int]
        /// The dense grid: `gridPoints` times from 0 to the last finite measurement time, plus the measurement
        /// times (empty when the panel has no finite times).
        public var times: [Double]
        /// One per distinct set of observable-parameter overrides (empty when the simulation failed).
        public var curves: [Curve]
    }

    /// Every measurement, in the measurement table's order.
    public var rows: [Row]
    public var panels: [Panel]

    /// Simulates the problem at `x` (estimated parameters on their scales, as the objective takes them).
    /// - Parameter gridPoints: evenly spaced times of each panel's curve (at least 2).
    /// - Complexity: two simulations per experiment.
    public init(_ objective: PEtabObjective, at x: [Double], gridPoints: Int = 201) {
        precondition(x.count == objective.parameterCount, "expected \(objective.parameterCount) parameters, got \(x.count)")
        let problem = objective.problem
        precondition(objective.terms.count == problem.measurements.count, "one resolved term per measurement")
        let p = objective.tableValues(at: x)
        rows = problem.measurements.map {
            Row(observable: $0.observableId, condition: Self.conditionLabel($0), time: $0.time, measurement: $0.value,
                simulation: .nan, sigma: .nan, residual: .nan)
        }
        panels = []
        for e in objective.experiments {
            // The objective resolves measurement k of the table into terms[k].
            if let run = try? objective.simulate(e, p) {
                for k in e.terms {
                    let term = objective.terms[k]
                    run.withUnsafeRow(term.row) { y in
                        let h = term.observable.evaluate(y, p, term.time), sigma = term.noise.evaluate(y, p, term.time)
                        let t = PEtabNoise.transformed(measurement: term.measurement, simulation: h, transformation: term.transformation)
                        rows[k].simulation = h
                        rows[k].sigma = sigma
                        rows[k].residual = (t.psiH - t.psiM) / sigma
                    }
                }
            }
            var dense = e
            let end = e.times.last ?? 0
            dense.times = e.times.isEmpty ? [] : Array(Set(e.times + (0..<max(gridPoints, 2)).map {
                end * Double($0) / Double(max(gridPoints, 2) - 1)
            })).sorted()
            dense.hasSteadyState = false
            let denseRun = dense.times.isEmpty ? nil : try? objective.simulate(dense, p)
            for observable in problem.observables {
                let members = e.terms.filter { problem.measurements[$0].observableId == observable.id }
                guard let first = members.first else { continue }
                var curves: [Curve] = []
                if let denseRun {
                    let overrideSets = members.reduce(into: [[PEtabValue]]()) { sets, k in
                        let o = problem.measurements[k].observableParameters
                        if !sets.contains(o) { sets.append(o) }
                    }
                    curves = overrideSets.map { overrides in
                        let term = objective.terms[members.first { problem.measurements[$0].observableParameters == overrides }!]
                        let values = dense.times.indices.map { r in
                            denseRun.withUnsafeRow(r) { term.observable.evaluate($0, p, dense.times[r]) }
                        }
                        let label = overrideSets.count == 1 ? "simulation"
                            : "simulation (\(overrides.map(\.description).joined(separator: ";")))"
                        return Curve(label: label, values: values)
                    }
                }
                panels.append(Panel(observable: observable.id, condition: rows[first].condition,
                                    transformation: observable.transformation, rows: members, times: dense.times, curves: curves))
            }
        }
    }

    static func conditionLabel(_ m: PEtabMeasurement) -> String {
        m.preequilibrationConditionId.map { $0 + ":" + m.simulationConditionId } ?? m.simulationConditionId
    }
}
