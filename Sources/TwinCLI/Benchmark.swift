import Foundation
import ImmuneTwin

/// Throughput and accuracy figures of one benchmark model.
struct BenchmarkFigures {
    var name: String
    var states: Int
    var n: Int
    var singleThread: Double
    var allThreads: Double
    var threads: Int
    var medianMs: Double
    var failures: Int
    var maxRelativeError: Double
    var loadMs: Double
    /// Mean solver work per simulation over the timed sets (accepted, rejected, rhs, jacobians, LUs) and the
    /// fraction of simulations where `auto` switched to the stiff method.
    var work: [String: Double] = [:]
    /// The same means over the failed simulations only (empty when none failed).
    var failedWork: [String: Double] = [:]

    var row: String {
        String(format: "| %@ | %d | %.0f | %.0f | %.4f | %d | %.1e | %.1f |", name, states, singleThread, allThreads, medianMs,
               failures, maxRelativeError, loadMs)
    }

    var json: [String: Any] {
        ["model": name, "states": states, "n": n, "sims_per_s_1thread": singleThread, "sims_per_s_all": allThreads,
         "threads": threads, "median_ms": medianMs, "failures": failures, "max_rel_err": maxRelativeError, "load_compile_ms": loadMs, "work_per_sim": work,
         "work_per_failed_sim": failedWork]
    }
}

enum Benchmark {
    /// Log-normal perturbation p · exp(0.1 z); set i draws its z from `RandomStream(seed:index: i, purpose: "benchmark")`.
    static func perturbedSets(_ nominal: [Double], count: Int, seed: UInt64, perturb: [Bool]) -> [[Double]] {
        (0..<count).map { i in
            var rng = RandomStream(seed: seed, index: i, purpose: "benchmark")
            return nominal.enumerated().map { k, v in perturb[k] ? v * exp(0.1 * rng.nextNormal()) : v }
        }
    }

    /// Runs one model. Throughput is timed over whole passes over the parameter sets, repeated until at least
    /// `minimumSeconds` have passed (0: one pass).
    static func run(_ c: BenchmarkCase, n: Int, rtol: Double, atol: Double, method: SolverMethod = .auto,
                    minimumSeconds: Double = 1) throws -> BenchmarkFigures {
        let clock = ContinuousClock()
        let loadStart = clock.now
        let compiled = try CompiledModel(c.model)
        let load = clock.now - loadStart
        let times = SimulationProblem.grid(from: 0, to: c.end, points: 101)
        let template = SimulationProblem(model: compiled, outputTimes: times)
        let parameterIds = Set(c.model.parameters.filter(\.constant).map(\.id))
        let perturb = compiled.inputIds.enumerated().map { k, id in
            parameterIds.contains(id) && !c.fixed.contains(id) && compiled.defaultInputs[k].isFinite && compiled.defaultInputs[k] != 0
        }
        let sets = perturbedSets(compiled.defaultInputs, count: n, seed: 12345, perturb: perturb)
        let options = SolverOptions(method: method, relativeTolerance: rtol, absoluteTolerance: atol)
        func runAll(threads: Int) -> (Double, [Double], Int) {
            var durations = [Double](repeating: 0, count: n)
            // the same sets again until at least `minimumSeconds` of work are timed, so thread start-up and
            // timer resolution do not dominate fast models
            let start = clock.now
            var statuses: [Bool] = [], passes = 0, wall = 0.0
            repeat {
                statuses = Ensemble.run(template: template, count: n, threads: threads, options: options,
                                        configure: { i, p in p.inputs = sets[i] }, reduce: { _, r in r.status.isSuccess })
                passes += 1
                wall = (clock.now - start).seconds
            } while wall < minimumSeconds
            let failures = statuses.filter { !$0 }.count
            if threads == 1 {
                // per-simulation times for the median, measured separately on a subset
                for i in 0..<min(n, 500) {
                    var p = template
                    p.inputs = sets[i]
                    let t0 = clock.now
                    _ = try? p.solve(options)
                    durations[i] = (clock.now - t0).seconds
                }
                durations = Array(durations.prefix(min(n, 500)))
            }
            return (Double(n * passes) / wall, durations, failures)
        }
        let (single, durations, failures) = runAll(threads: 1)
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let (parallel, _, _) = runAll(threads: threads)
        // accuracy against a tight run on the first 20 sets
        var worst = 0.0
        let tight = SolverOptions(method: .rodas4, relativeTolerance: 1e-12, absoluteTolerance: 1e-14, maxSteps: 2_000_000)
        for i in 0..<min(20, n) {
            var p = template
            p.inputs = sets[i]
            guard let r = try? p.solve(options), let ref = try? p.solve(tight), r.status.isSuccess, ref.status.isSuccess else { continue }
            worst = max(worst, relativeError(r.values, ref.values, columns: r.names.count, floorRelative: 1e-4, floorAbsolute: atol))
        }
        let outcomes = Ensemble.run(template: template, count: min(n, 200), threads: 1, options: options,
                                    configure: { i, p in p.inputs = sets[i] },
                                    reduce: { _, r in (r.statistics, r.status) })
        let work = meanWork(outcomes.map(\.0))
        var failedWork = meanWork(outcomes.filter { !$0.1.isSuccess }.map(\.0))
        for (_, status) in outcomes where !status.isSuccess { failedWork["status " + status.code, default: 0] += 1 }
        let sorted = durations.sorted()
        return BenchmarkFigures(name: c.name, states: compiled.stateCount, n: n, singleThread: single, allThreads: parallel,
                                threads: threads, medianMs: sorted.isEmpty ? .nan : sorted[sorted.count / 2] * 1e3,
                                failures: failures, maxRelativeError: worst, loadMs: load.seconds * 1e3, work: work,
                                failedWork: failedWork)
    }

    /// Mean solver work per simulation (empty for no simulations).
    static func meanWork(_ stats: [SolverStatistics]) -> [String: Double] {
        guard !stats.isEmpty else { return [:] }
        let m = Double(stats.count)
        return ["accepted": Double(stats.map(\.acceptedSteps).reduce(0, +)) / m,
                "rejected": Double(stats.map(\.rejectedSteps).reduce(0, +)) / m,
                "rhs": Double(stats.map(\.rhsEvaluations).reduce(0, +)) / m,
                "jacobians": Double(stats.map(\.jacobianEvaluations).reduce(0, +)) / m,
                "factorizations": Double(stats.map(\.factorizations).reduce(0, +)) / m,
                "switched": Double(stats.filter { $0.switchedToStiffAt != nil }.count) / m]
    }

    /// peers.py's metric: max |y - ref| / max(|ref|, floor_s), floor_s = max(floorRelative · peak_s, floorAbsolute).
    static func relativeError(_ y: [Double], _ ref: [Double], columns: Int, floorRelative: Double, floorAbsolute: Double) -> Double {
        guard columns > 0, y.count == ref.count else { return .nan }
        let rows = ref.count / columns
        var worst = 0.0
        for c in 0..<columns {
            var peak = 0.0
            for r in 0..<rows { peak = max(peak, abs(ref[r * columns + c])) }
            let floor = max(floorRelative * peak, floorAbsolute)
            for r in 0..<rows {
                let k = r * columns + c
                if !y[k].isFinite { return .nan }
                worst = max(worst, abs(y[k] - ref[k]) / max(abs(ref[k]), floor))
            }
        }
        return worst
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
