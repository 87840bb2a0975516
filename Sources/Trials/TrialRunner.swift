import Cohorts
import Foundation
import Sampling
import Simulation

/// One output row: a virtual patient in one arm.
public struct PatientRow: Sendable, Equatable {
    /// The patient index (0-based, the key of all its random draws).
    public var id: Int
    /// The arm index (into the spec's arms).
    public var arm: Int
    /// Candidates drawn before one met the inclusion criteria and the selection (1 = the first).
    public var attempts: Int
    public var covariates: [Double]
    /// Values of `PopulationSampler.parameterIds`.
    public var parameters: [Double]
    /// Time of each named event (NaN when it did not happen).
    public var eventTimes: [Double]
    /// The untreated outputs the selection targets (NaN without selection).
    public var selected: [Double]
    /// Endpoint values in `TrialPlan.endpointColumns` order (NaN for a failed simulation).
    public var endpoints: [Double]
    /// `success`, a simulation status code (`blow_up`, `max_steps`, ...) or `not_eligible`.
    public var status: String
}

/// The trajectory of the report's observable for one sampled patient in one arm.
public struct TrajectoryRow: Sendable, Equatable {
    public var id: Int
    public var arm: Int
    public var values: [Double]
}

/// A contiguous part of a trial: shard `index` (1-based) of `count` simulates patients
/// `[n·(index−1)/count, n·index/count)`.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }
    public static let whole = Shard(index: 1, count: 1)
    public func range(patients n: Int) -> Range<Int> { (n * (index - 1) / count)..<(n * index / count) }
    public var description: String { "\(index)/\(count)" }
}

/// What one run (a shard or the whole trial) produced.
public struct TrialRunResult: Sendable {
    public var shard: Shard
    public var rows: [PatientRow]
    public var trajectories: [TrajectoryRow]
}

/// Runs a trial plan through `Ensemble.run`, in chunks (memory bounded by the rows), with every random
/// draw keyed by (seed, patient index, purpose): results do not depend on `threads` or the shard split.
///
/// Design: in a `parallel` trial, patient j is allocated by block randomisation, blocks of twice the sum of
/// the ratios, block b permuted by the stream (seed, b, "randomisation"); in a `matched` trial every patient
/// receives every arm. Candidates are redrawn (purposes "population#a") until one passes the baseline
/// rules, its untreated screening simulation succeeds and passes the observable criteria, and the selection
/// accepts it (uniform from (seed, j, "selection#a")); after `maxAttempts` the row is `not_eligible`.
public struct TrialRunner: Sendable {
    public let plan: TrialPlan
    public var threads: Int
    /// Patients per chunk (bounded memory; progress is reported per chunk).
    public var chunkSize = 4096

    public init(plan: TrialPlan, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.plan = plan
        self.threads = max(1, threads)
    }

    /// Runs `shard`, calling `progress(done, total)` after each chunk.
    /// - Throws: `TrialError` when the selection cannot be set up (pilot failed, targets out of reach).
    public func run(shard: Shard = .whole, progress: (Int, Int) -> Void = { _, _ in }) throws -> TrialRunResult {
        let range = shard.range(patients: plan.patientCount)
        let selection = try makeSelection()
        var rows: [PatientRow] = []
        var trajectories: [TrajectoryRow] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + chunkSize, range.upperBound)
            let screened = screen(Array(start..<end), selection: selection)
            runArms(screened, rows: &rows, trajectories: &trajectories)
            progress(end - range.lowerBound, range.count)
            start = end
        }
        return TrialRunResult(shard: shard, rows: rows, trajectories: trajectories)
    }

    /// The arm of patient `j` in a parallel trial (block randomisation).
    public func arm(of j: Int) -> Int {
        let arms = plan.spec.arms
        var labels: [Int] = []
        for (k, a) in arms.enumerated() { labels += Array(repeating: k, count: 2 * a.ratio) }
        let block = j / labels.count
        var rng = RandomStream(seed: plan.spec.seed, index: block, purpose: "randomisation")
        for i in stride(from: labels.count - 1, to: 0, by: -1) {
            labels.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        return labels[j % labels.count]
    }

    // MARK: screening

    struct Candidate: Sendable {
        var id: Int
        var patient: VirtualPatient
        var attempts: Int
        var eventTimes: [Double]
        var selected: [Double]
        var eligible: Bool
    }

    func untreated(_ patient: VirtualPatient) -> SimulationProblem {
        var p = SimulationProblem(model: plan.compiled, outputTimes: plan.grid, startTime: plan.spec.followUp.start)
        for (k, input) in plan.parameterInputs.enumerated() { p.inputs[input] = patient.parameters[k] }
        return p
    }

    func passesBaseline(_ patient: VirtualPatient) -> Bool {
        guard !plan.baselineRules.isEmpty else { return true }
        var slots = patient.covariates + patient.parameters
        let others = zip(plan.compiled.inputIds, plan.compiled.defaultInputs).filter { !plan.sampler.parameterIds.contains($0.0) }
        slots += others.map(\.1)
        for (f, exclude) in plan.baselineRules where (f.evaluate(slots) != 0) == exclude { return false }
        return true
    }

    func draw(_ j: Int, attempt: Int) -> VirtualPatient {
        plan.sampler.draw(seed: plan.spec.seed, index: j, purpose: attempt == 0 ? "population" : "population#\(attempt)")
    }

    func screen(_ ids: [Int], selection: PopulationSelection?) -> [Candidate] {
        let nEvents = plan.spec.events.count, nSelected = plan.selectionColumns.count
        var candidates = ids.map { Candidate(id: $0, patient: draw($0, attempt: 0), attempts: 1,
                                             eventTimes: [Double](repeating: .nan, count: nEvents),
                                             selected: [Double](repeating: .nan, count: nSelected), eligible: false) }
        var pending = Array(candidates.indices)
        for attempt in 0..<plan.spec.maxAttempts where !pending.isEmpty {
            if attempt > 0 {
                for k in pending {
                    candidates[k].patient = draw(candidates[k].id, attempt: attempt)
                    candidates[k].attempts = attempt + 1
                }
            }
            let baselineOK = pending.filter { passesBaseline(candidates[$0].patient) }
            guard plan.needsScreening else {
                for k in baselineOK { candidates[k].eligible = true }
                pending = pending.filter { !candidates[$0].eligible }
                continue
            }
            let snapshot = candidates
            let outcomes = Ensemble.run(template: untreated(snapshot[baselineOK.first ?? 0].patient), count: baselineOK.count,
                                        threads: threads, options: plan.spec.solver,
                                        configure: { i, p in p = untreated(snapshot[baselineOK[i]].patient) },
                                        reduce: { i, r in evaluateScreening(r, snapshot[baselineOK[i]], attempt: attempt, selection: selection) })
            for (i, k) in baselineOK.enumerated() {
                if let (events, selected) = outcomes[i] {
                    candidates[k].eventTimes = events
                    candidates[k].selected = selected
                    candidates[k].eligible = true
                }
            }
            pending = pending.filter { !candidates[$0].eligible }
        }
        return candidates
    }

    func evaluateScreening(_ r: SimulationResult, _ c: Candidate, attempt: Int,
                           selection: PopulationSelection?) -> ([Double], [Double])? {
        guard r.status.isSuccess, !r.times.isEmpty else { return nil }
        for c in plan.observableCriteria {
            let v = r[c.row, c.column]
            let holds = c.above ? v > c.threshold : v < c.threshold
            if holds == c.exclude { return nil }
        }
        let selected = plan.selectionColumns.map { r[$0.row, $0.column] }
        if let selection {
            var rng = RandomStream(seed: plan.spec.seed, index: c.id, purpose: "selection#\(attempt)")
            guard rng.nextUniform() < selection.acceptanceProbability(selected) else { return nil }
        }
        let last = r.times.count - 1
        let events = plan.eventColumns.map { col -> Double in
            let t = r[last, col]
            return t > TrialModel.notYet / 10 ? t : .nan
        }
        return (events, selected)
    }

    func makeSelection() throws -> PopulationSelection? {
        guard let spec = plan.spec.selection else { return nil }
        let pilot = Ensemble.run(template: untreated(plan.sampler.draw(seed: plan.spec.seed, index: 0, purpose: "plausible")),
                                 count: spec.pilot, threads: threads, options: plan.spec.solver,
                                 configure: { i, p in p = untreated(plan.sampler.draw(seed: plan.spec.seed, index: i, purpose: "plausible")) },
                                 reduce: { _, r -> [Double] in
                                     guard r.status.isSuccess, !r.times.isEmpty else { return [] }
                                     return plan.selectionColumns.map { r[$0.row, $0.column] }
                                 })
        do {
            return try PopulationSelection(targets: spec.targets.map(\.distribution), pilot: pilot)
        } catch {
            throw spec.location.error("selection: \(error)")
        }
    }

    // MARK: arms

    func runArms(_ candidates: [Candidate], rows: inout [PatientRow], trajectories: inout [TrajectoryRow]) {
        let armCount = plan.spec.arms.count
        var jobs: [(candidate: Int, arm: Int)] = []
        for (k, c) in candidates.enumerated() {
            if plan.spec.design == .matched {
                for a in 0..<armCount { jobs.append((k, a)) }
            } else {
                jobs.append((k, arm(of: c.id)))
            }
        }
        let fraction = plan.spec.trajectory.map { min(1, Double($0.patients) / Double(plan.patientCount)) } ?? 0
        let endTime = plan.spec.followUp.end
        let template = SimulationProblem(model: plan.compiled, outputTimes: plan.grid, startTime: plan.spec.followUp.start)
        let results = Ensemble.run(template: template, count: jobs.count, threads: threads, options: plan.spec.solver,
            configure: { i, p in
                let (k, a) = jobs[i]
                let c = candidates[k]
                guard c.eligible else { throw NotEligible() }
                for (n, input) in plan.parameterInputs.enumerated() { p.inputs[input] = c.patient.parameters[n] }
                var doses: [Dose] = []
                for d in plan.regimens[a] {
                    let reference = d.event.map { c.eventTimes[$0] } ?? 0
                    guard reference.isFinite else { continue }
                    doses += d.doses(reference: reference, patientValue: d.restore.map { p.inputs[$0] } ?? 0)
                }
                p.doses = doses
            },
            reduce: { i, r -> (PatientRow, TrajectoryRow?) in
                let (k, a) = jobs[i]
                let c = candidates[k]
                var slots = c.patient.covariates + c.patient.parameters
                var values: [Double] = []
                if c.eligible {
                    for e in plan.endpoints { e.append(to: &values, slots: &slots, result: r, censorAt: endTime) }
                } else {
                    values = [Double](repeating: .nan, count: plan.endpointColumns.count)
                }
                var events = c.eventTimes
                if !plan.needsScreening, r.status.isSuccess, !r.times.isEmpty {
                    events = plan.eventColumns.map { col in
                        let t = r[r.times.count - 1, col]
                        return t > TrialModel.notYet / 10 ? t : .nan
                    }
                }
                let row = PatientRow(id: c.id, arm: a, attempts: c.attempts, covariates: c.patient.covariates,
                                     parameters: c.patient.parameters, eventTimes: events, selected: c.selected, endpoints: values,
                                     status: c.eligible ? r.status.code : "not_eligible")
                var trajectory: TrajectoryRow?
                if let col = plan.trajectoryColumn, c.eligible, r.status.isSuccess {
                    var rng = RandomStream(seed: plan.spec.seed, index: c.id, purpose: "trajectory")
                    if rng.nextUniform() < fraction {
                        trajectory = TrajectoryRow(id: c.id, arm: a, values: r.series(r.names[col]) ?? [])
                    }
                }
                return (row, trajectory)
            })
        for (row, trajectory) in results {
            rows.append(row)
            if let trajectory { trajectories.append(trajectory) }
        }
    }
}

struct NotEligible: Error {}
