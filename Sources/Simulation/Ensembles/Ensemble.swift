import Foundation
import Synchronization

/// Many simulations of one compiled model with different inputs, run in parallel.
///
/// Workers claim simulations one at a time from a shared counter (so none idles while another still has a
/// long queue); each worker owns one integrator (no allocation per step, no sharing), and each simulation
/// depends only on its index, so results are identical for any thread count. A simulation that fails numerically is just a result with a failed `status`; it never affects
/// the others.
public enum Ensemble {
    /// Simulations run side by side on the batched path (`BatchIntegrator`) by each worker.
    static let batchLanes = 16
    /// A worker with fewer simulations than this uses the scalar path.
    static let batchThreshold = 4

    /// Runs `count` simulations. `configure(i, &problem)` sets simulation i's inputs, doses and output
    /// times (starting from `template`); `reduce(i, result)` turns its result into what is kept, so that
    /// large cohorts need not hold every trajectory in memory. Runs with `auto` or `dopri5` go through the
    /// batched lock-step path (`BatchIntegrator`), whose results are bit-identical to the scalar path's.
    /// - Parameters:
    ///   - threads: worker threads (default: all active processors); 1 runs on the calling thread.
    /// - Returns: the reduced values in index order. If `configure` throws for an index, that index's
    ///   entry is `reduce(i, failure)` where the failure result has no rows and status `.invalidInitialState`
    ///   naming the error.
    public static func run<R>(
        template: SimulationProblem, count: Int, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        options: SolverOptions = .init(),
        configure: (Int, inout SimulationProblem) throws -> Void,
        reduce: (Int, SimulationResult) -> R
    ) -> [R] {
        let workers = max(1, min(threads, count))
        var output = [R?](repeating: nil, count: count)
        let counter = Mutex(0)
        /// The next unclaimed simulation index, or nil when all are claimed.
        func claim() -> Int? {
            counter.withLock { next in
                guard next < count else { return nil }
                defer { next += 1 }
                return next
            }
        }
        output.withUnsafeMutableBufferPointer { out in
            let slots = UncheckedPointer(out.baseAddress)
            func body(_ worker: Int) {
                let share = count / workers
                if share >= batchThreshold, BatchIntegrator.covers(template.model, options) {
                    let batch = BatchIntegrator(model: template.model, lanes: min(batchLanes, share))
                    batch.run(claim: claim, options: options, problem: { i in
                        var problem = template
                        try configure(i, &problem)
                        try problem.validate()
                        return problem
                    }, failure: { error in
                        SimulationResult(times: [], names: template.model.outputNames, values: [],
                                         status: .invalidInitialState(variable: "\(error)"), statistics: .init())
                    }, deliver: { i, result in (slots.pointer! + i).pointee = reduce(i, result) })
                    return
                }
                let integrator = Integrator(model: template.model)
                while let i = claim() {
                    var problem = template
                    let result: SimulationResult
                    do {
                        try configure(i, &problem)
                        try problem.validate()
                        result = problem.solve(options, using: integrator)
                    } catch {
                        result = SimulationResult(times: [], names: template.model.outputNames, values: [],
                                                  status: .invalidInitialState(variable: "\(error)"), statistics: .init())
                    }
                    (slots.pointer! + i).pointee = reduce(i, result)
                }
            }
            if workers == 1 {
                body(0)
            } else {
                withoutActuallyEscaping(body) { body in
                    let box = UncheckedSendable(body)
                    DispatchQueue.concurrentPerform(iterations: workers) { box.value($0) }
                }
            }
        }
        return output.map { $0! }
    }
}

/// A pointer handed to worker threads that write disjoint elements.
struct UncheckedPointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>?
    init(_ pointer: UnsafeMutablePointer<T>?) { self.pointer = pointer }
}

/// Carries a value that is only used in ways the caller has proven race-free (disjoint writes).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
