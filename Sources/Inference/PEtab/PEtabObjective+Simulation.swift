import Foundation
import Simulation

/// The outputs of one experiment: a row per finite measurement time, then the steady-state row if any.
struct ExperimentRun {
    var values: [Double]
    var width: Int

    func withUnsafeRow<R>(_ row: Int, _ body: (UnsafeBufferPointer<Double>) -> R) -> R {
        values.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(row * width)..<((row + 1) * width)])) }
    }
}

/// A simulation of the objective failed numerically (the objective is then infinite).
struct ExperimentFailure: Error {
    var status: SimulationStatus
}

extension PEtabObjective {
    /// The model inputs of condition `c` at parameter-table values `p`.
    func inputs(condition c: Int, _ p: [Double]) -> [Double] {
        var inputs = compiled.defaultInputs
        for a in conditionInputs[c] { a.apply(p, to: &inputs) }
        return inputs
    }

    /// Simulates experiment `e` at parameter-table values `p`.
    /// - Throws: `ExperimentFailure` when a run fails or finds no steady state; `SimulationError` for a bad request.
    func simulate(_ e: Experiment, _ p: [Double]) throws -> ExperimentRun {
        try simulate(e, p, model: compiled, stateColumns: stateColumns)
    }

    /// Simulates experiment `e` with `model` (the plain or the sensitivity-augmented compilation), whose
    /// state `i` is output column `stateColumns[i]`.
    func simulate(_ e: Experiment, _ p: [Double], model compiled: CompiledModel, stateColumns: [Int]) throws -> ExperimentRun {
        let inputs = inputs(condition: e.simulation, p)
        var doses: [Dose] = []
        if let pre = e.preequilibration {
            let state = try steadyState(inputs: self.inputs(condition: pre, p), doses: [], model: compiled, stateColumns: stateColumns)
            let n = e.setBySimulationCondition.count
            for (i, id) in compiled.stateIds.enumerated() where !e.setBySimulationCondition[i % n] {
                doses.append(Dose(target: id, time: 0, amount: state[stateColumns[i]], kind: .set))
            }
        }
        var values: [Double] = []
        if !e.times.isEmpty {
            var problem = SimulationProblem(model: compiled, outputTimes: e.times, doses: doses)
            problem.inputs = inputs
            let result = try problem.solve(options)
            solverWork.add(result.statistics)
            guard result.status.isSuccess else { throw ExperimentFailure(status: result.status) }
            values = result.values
        }
        if e.hasSteadyState {
            values += try steadyState(inputs: inputs, doses: doses, model: compiled, stateColumns: stateColumns)
        }
        return ExperimentRun(values: values, width: compiled.outputNames.count)
    }

    /// Runs from the initial state (after `doses` at time 0) over doubling intervals until every state's
    /// mean rate over an interval is below `steadyStateTolerance · |x| + 1e-12`; returns that output row.
    /// Each interval restarts the clock at 0, so the model is assumed autonomous.
    func steadyState(inputs: [Double], doses: [Dose], model compiled: CompiledModel, stateColumns: [Int]) throws -> [Double] {
        var doses = doses
        var span = 1.0, elapsed = 0.0
        let width = compiled.outputNames.count
        while elapsed < 1e12 {
            var problem = SimulationProblem(model: compiled, outputTimes: [0, span], doses: doses)
            problem.inputs = inputs
            let result = try problem.solve(options)
            solverWork.add(result.statistics)
            guard result.status.isSuccess else { throw ExperimentFailure(status: result.status) }
            var converged = true
            for c in stateColumns {
                let x0 = result.values[c], x1 = result.values[width + c]
                if !(abs(x1 - x0) / span <= steadyStateTolerance * abs(x1) + 1e-12) { converged = false }
            }
            let end = Array(result.values[width..<(2 * width)])
            if converged { return end }
            doses = compiled.stateIds.enumerated().map { Dose(target: $1, time: 0, amount: end[stateColumns[$0]], kind: .set) }
            elapsed += span
            span *= 2
        }
        throw ExperimentFailure(status: .maxSteps(time: elapsed))
    }
}
