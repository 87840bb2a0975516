/// The outcome of one simulation: values at the requested times, how the run ended, and the work it took.
public struct SimulationResult: Sendable {
    /// The output times (model time units).
    public var times: [Double]
    /// Column names (the compiled model's `outputNames`).
    public var names: [String]
    /// Row-major values: `values[row * names.count + column]`. Rows after a failure are NaN.
    public var values: [Double]
    public var status: SimulationStatus
    public var statistics: SolverStatistics

    public init(times: [Double], names: [String], values: [Double], status: SimulationStatus, statistics: SolverStatistics) {
        self.times = times
        self.names = names
        self.values = values
        self.status = status
        self.statistics = statistics
    }

    /// The value at output row `row` of column `column`.
    public subscript(row: Int, column: Int) -> Double { values[row * names.count + column] }

    /// The time course of the output named `name`, or nil when there is no such column.
    public func series(_ name: String) -> [Double]? {
        guard let c = names.firstIndex(of: name) else { return nil }
        return times.indices.map { values[$0 * names.count + c] }
    }

    /// The results as CSV with header `time,<names>` (numbers printed to round-trip exactly).
    public func csv() -> String {
        var out = "time," + names.joined(separator: ",") + "\n"
        for (r, t) in times.enumerated() {
            out += "\(t)"
            for c in names.indices { out += ",\(values[r * names.count + c])" }
            out += "\n"
        }
        return out
    }
}
