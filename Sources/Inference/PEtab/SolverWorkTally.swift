import Foundation
import Simulation

/// The solver work of every simulation an objective ran (summed `SolverStatistics`), for cost reports:
/// simulations, accepted and rejected steps, right-hand sides, Jacobians and LU factorisations.
///
/// Thread-safe (a lock around each addition); the counts of parallel starts are summed together.
public final class SolverWorkTally: @unchecked Sendable {
    private let lock = NSLock()
    private var total = SolverStatistics()
    private var simulations = 0

    public init() {}

    /// Adds one simulation's statistics.
    func add(_ statistics: SolverStatistics) {
        lock.lock()
        defer { lock.unlock() }
        simulations += 1
        total.acceptedSteps += statistics.acceptedSteps
        total.rejectedSteps += statistics.rejectedSteps
        total.rhsEvaluations += statistics.rhsEvaluations
        total.jacobianEvaluations += statistics.jacobianEvaluations
        total.factorizations += statistics.factorizations
    }

    /// The sums so far, and the number of simulations they cover.
    public var snapshot: (simulations: Int, statistics: SolverStatistics) {
        lock.lock()
        defer { lock.unlock() }
        return (simulations, total)
    }

    /// One line: `simulations N steps N rejected N rhs N jacobians N factorizations N`.
    public var summary: String {
        let (count, s) = snapshot
        return "simulations \(count) steps \(s.acceptedSteps) rejected \(s.rejectedSteps) rhs \(s.rhsEvaluations) "
            + "jacobians \(s.jacobianEvaluations) factorizations \(s.factorizations)"
    }
}
