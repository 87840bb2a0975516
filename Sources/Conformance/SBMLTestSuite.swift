import Foundation
import ModelFormats
import ModelIR
import Simulation

/// How the suite runner simulates and bounds each case.
public struct SBMLTestSuiteOptions: Sendable {
    /// The solver's relative and absolute tolerances are the case's comparison tolerances times this
    /// factor (bounded below by `minimumRelativeTolerance` and 1e-20), so the integration error stays well
    /// inside what the comparison allows.
    public var toleranceFactor: Double
    public var minimumRelativeTolerance: Double
    public var method: SolverMethod
    /// The solver's step limit per case.
    public var maxSteps: Int
    /// Wall-clock limit per case in seconds; a case over it fails with "timed out".
    public var timeLimit: Double
    /// Cases run at the same time (1 runs them one after another).
    public var workers: Int

    public init(toleranceFactor: Double = 1e-4, minimumRelativeTolerance: Double = 1e-12, method: SolverMethod = .auto,
                maxSteps: Int = 500_000, timeLimit: Double = 60, workers: Int = 1) {
        self.toleranceFactor = toleranceFactor
        self.minimumRelativeTolerance = minimumRelativeTolerance
        self.method = method
        self.maxSteps = maxSteps
        self.timeLimit = timeLimit
        self.workers = workers
    }
}

/// Runs the SBML Test Suite's semantic (time-course) cases: reads each model with `SBMLReader`,
/// simulates it per its settings with `CompiledModel`/`SimulationProblem`, and compares with the expected
/// results by the suite's rule `|simulated − expected| ≤ absolute + relative · |expected|`.
///
/// Skipped are only cases whose model uses an SBML package (declared in the document or named in its
/// tags, e.g. `comp:Submodel`) and cases whose `testType` is not `TimeCourse`. Everything else that does
/// not match, cannot be read, compiled or simulated, or runs over the time limit, fails with the reason.
public enum SBMLTestSuite {
    /// Runs the cases in `directory` (the suite's `semantic` folder) that `caseFilter` accepts, calling
    /// `progress` with each result in case order.
    /// - Throws: Foundation's error when `directory` cannot be listed. Problems with single cases are
    ///   their outcomes, never errors.
    public static func run(directory: URL, caseFilter: (@Sendable (String) -> Bool)? = nil,
                           options: SBMLTestSuiteOptions = .init(),
                           progress: @escaping @Sendable (SBMLTestCaseResult) -> Void = { _ in }) throws -> SBMLTestSuiteSummary {
        let cases = try SBMLTestCase.discover(in: directory).filter { caseFilter?($0.id) ?? true }
        let collector = OrderedCollector(count: cases.count, emit: progress)
        let workers = max(1, min(options.workers, cases.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = collector.nextIndex() {
                collector.store(run(cases[i], options: options), at: i)
            }
        }
        return SBMLTestSuiteSummary(results: collector.results)
    }

    /// Runs one case within the time limit.
    public static func run(_ testCase: SBMLTestCase, options: SBMLTestSuiteOptions = .init()) -> SBMLTestCaseResult {
        let start = Date()
        let info = (try? String(contentsOf: testCase.descriptionFile, encoding: .utf8)).map(SBMLTestCaseInfo.init(parsing:))
            ?? SBMLTestCaseInfo(testType: "TimeCourse")
        var result = SBMLTestCaseResult(id: testCase.id, outcome: .pass, componentTags: info.componentTags, testTags: info.testTags)
        if let outcome = withTimeLimit(options.timeLimit, { evaluate(testCase, info: info, options: options) }) {
            result.outcome = outcome
        } else {
            result.outcome = .fail("timed out after \(options.timeLimit) s")
        }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// The outcome of one case (without the time limit).
    static func evaluate(_ testCase: SBMLTestCase, info: SBMLTestCaseInfo, options: SBMLTestSuiteOptions) -> SBMLTestOutcome {
        guard info.testType == "TimeCourse" else { return .skip("testType \(info.testType) (only TimeCourse is run)") }
        guard let file = testCase.modelFile else { return .fail("no NNNNN-sbml-lXvY.xml file") }
        let data: Data
        do { data = try Data(contentsOf: file) } catch { return .fail("cannot read \(file.lastPathComponent): \(oneLine(error))") }
        var packages = Set(info.packages)
        if let document = try? SBMLReader.inspect(data: data, file: file.lastPathComponent) {
            packages.formUnion(document.packages.map(\.name))
        }
        if !packages.isEmpty { return .skip("uses SBML package(s) \(packages.sorted().joined(separator: ", "))") }
        do {
            let settings = try SBMLTestSettings(parsing: try String(contentsOf: testCase.settingsFile, encoding: .utf8))
            let expected = try SBMLExpectedResults(parsing: try String(contentsOf: testCase.resultsFile, encoding: .utf8))
            let model: Model
            do { model = try SBMLReader.read(data: data, file: file.lastPathComponent) } catch {
                return .fail("read: \(oneLine(error))")
            }
            let compiled: CompiledModel
            do { compiled = try CompiledModel(model, outputs: outputRequests(settings, model: model)) } catch {
                return .fail("compile: \(oneLine(error))")
            }
            let times = settings.outputTimes
            guard times.count == expected.rows.count else {
                return .fail("results have \(expected.rows.count) rows, settings ask for \(times.count)")
            }
            if let row = times.indices.first(where: { abs(times[$0] - expected.times[$0]) > 1e-9 * max(1, abs(times[$0])) }) {
                return .fail("results row \(row + 1) is at t=\(expected.times[row]), settings give t=\(times[row])")
            }
            let problem = SimulationProblem(model: compiled, outputTimes: times, startTime: settings.start)
            let result = try problem.solve(solverOptions(settings, options))
            guard result.status.isSuccess else { return .fail("simulate: \(result.status)") }
            let n = result.names.count
            let rows = result.times.indices.map { r in (0..<n).map { result.values[r * n + $0] } }
            if let mismatch = try SBMLTestComparison.firstMismatch(variables: settings.variables, simulated: rows, expected: expected,
                                                                   absolute: settings.absolute, relative: settings.relative) {
                return .fail(mismatch.description)
            }
            return .pass
        } catch {
            return .fail(oneLine(error))
        }
    }

    /// One output per variable: species listed under `amount:` as amounts, under `concentration:` as
    /// concentrations, everything else (and species in neither list) as its value.
    static func outputRequests(_ settings: SBMLTestSettings, model: Model) -> [OutputRequest] {
        let species = Set(model.species.map(\.id))
        return settings.variables.map { v in
            guard species.contains(v) else { return .value(v) }
            if settings.amount.contains(v) { return .amount(v) }
            if settings.concentration.contains(v) { return .concentration(v) }
            return .value(v)
        }
    }

    static func solverOptions(_ settings: SBMLTestSettings, _ options: SBMLTestSuiteOptions) -> SolverOptions {
        var solver = SolverOptions(method: options.method,
                                   relativeTolerance: max(settings.relative * options.toleranceFactor, options.minimumRelativeTolerance),
                                   absoluteTolerance: max(settings.absolute * options.toleranceFactor, 1e-20))
        solver.maxSteps = options.maxSteps
        // the solver stops itself at the limit, so a case that runs over it leaves no thread behind
        solver.timeLimit = options.timeLimit
        return solver
    }

    static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    /// Runs `body` on its own thread and waits at most `seconds` for it; nil when it did not finish (the
    /// thread is abandoned; the solver's own `timeLimit` ends it shortly after).
    static func withTimeLimit<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.set(body())
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return box.get()
    }
}

/// A value handed from one thread to another.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ v: T) { lock.withLock { value = v } }
    func get() -> T? { lock.withLock { value } }
}

/// Hands out case indices to workers and emits results in case order as they become available.
private final class OrderedCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var emitted = 0
    private var slots: [SBMLTestCaseResult?]
    private let emit: @Sendable (SBMLTestCaseResult) -> Void

    init(count: Int, emit: @escaping @Sendable (SBMLTestCaseResult) -> Void) {
        slots = Array(repeating: nil, count: count)
        self.emit = emit
    }

    func nextIndex() -> Int? {
        lock.withLock {
            guard next < slots.count else { return nil }
            next += 1
            return next - 1
        }
    }

    func store(_ result: SBMLTestCaseResult, at index: Int) {
        lock.withLock {
            slots[index] = result
            while emitted < slots.count, let r = slots[emitted] {
                emit(r)
                emitted += 1
            }
        }
    }

    var results: [SBMLTestCaseResult] { lock.withLock { slots.compactMap { $0 } } }
}
