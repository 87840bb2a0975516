import Foundation
import ModelIR
import ModelLibrary
import Simulation
import Testing

/// Compiled library models, built once per test process (compilation differentiates symbolically).
enum Library {
    private static let cache = Mutex<[String: CompiledModel]>([:])

    /// The compiled built-in model `name` (default outputs: every species, then other states).
    static func compiled(_ name: String) throws -> CompiledModel {
        if let model = cache.withLock({ $0[name] }) { return model }
        let model = try CompiledModel(ModelLibrary.model(named: name))
        cache.withLock { $0[name] = model }
        return model
    }

    /// Simulates `name` with the given input overrides and returns the result after checking it
    /// succeeded.
    static func simulate(_ name: String, times: [Double], inputs: [String: Double] = [:], start: Double = 0,
                         options: SolverOptions, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> SimulationResult {
        var problem = SimulationProblem(model: try compiled(name), outputTimes: times, startTime: start)
        for (id, value) in inputs.sorted(by: { $0.key < $1.key }) { try problem.set(id, to: value) }
        let result = try problem.solve(options)
        #expect(result.status == .success, "\(name) \(inputs): \(result.status)", sourceLocation: sourceLocation)
        return result
    }

    /// A uniform grid `start, start + step, ..., end`.
    static func grid(_ start: Double, _ end: Double, step: Double) -> [Double] {
        let n = Int(((end - start) / step).rounded())
        return (0...n).map { start + Double($0) * step }
    }
}

/// A minimal lock (Synchronization.Mutex needs macOS 15; this package targets macOS 13).
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Set LIBRARY_CHECK_LOG=1 to print every compared value (used to report the numbers).
let checkLogEnabled = ProcessInfo.processInfo.environment["LIBRARY_CHECK_LOG"] != nil

/// Expects `actual` within `rtol` (relative) or `atol` (absolute) of `expected`; the message shows
/// both values, the errors and the tolerance.
func expectClose(_ actual: Double, _ expected: Double, rtol: Double = 0, atol: Double = 0, _ what: String,
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let error = abs(actual - expected)
    let relative = expected == 0 ? error : error / abs(expected)
    let ok = error <= atol || relative <= rtol
    if checkLogEnabled {
        print("CHECK \(ok ? "ok  " : "FAIL") \(what): got \(actual), expected \(expected) (abs err \(error), rel err \(relative))")
    }
    #expect(ok, "\(what): got \(actual), expected \(expected); abs error \(error) (atol \(atol)), rel error \(relative) (rtol \(rtol))",
            sourceLocation: sourceLocation)
}

/// The index and value of the maximum of `values`.
func argmax(_ values: [Double]) -> (index: Int, value: Double) {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return (best, values[best])
}

/// Indices of strict interior local maxima.
func localMaxima(_ values: [Double]) -> [Int] {
    guard values.count > 2 else { return [] }
    return (1..<(values.count - 1)).filter { values[$0] > values[$0 - 1] && values[$0] >= values[$0 + 1] }
}

/// The time at which a sampled series has its maximum, refined by a parabola through the three samples
/// around the sampled maximum (error O(h^3) for a smooth peak instead of h/2).
func peak(times: [Double], values: [Double]) -> (time: Double, value: Double) {
    let (i, v) = argmax(values)
    guard i > 0, i < values.count - 1 else { return (times[i], v) }
    let (y0, y1, y2) = (values[i - 1], values[i], values[i + 1])
    let h = times[i + 1] - times[i]
    let denominator = y0 - 2 * y1 + y2
    guard denominator != 0 else { return (times[i], v) }
    let offset = 0.5 * (y0 - y2) / denominator
    return (times[i] + offset * h, y1 - 0.25 * (y0 - y2) * offset)
}

extension SimulationResult {
    /// The value of output `name` at output row `row` (NaN when there is no such output).
    subscript(_ name: String, _ row: Int) -> Double {
        guard let column = names.firstIndex(of: name) else { return .nan }
        return self[row, column]
    }
}
