import Foundation

/// The `NNNNN-settings.txt` of an SBML Test Suite case: what to simulate and how closely to match.
///
/// ```
/// start: 0
/// duration: 5
/// steps: 50
/// variables: S1, S2
/// absolute: 1.000000e-007
/// relative: 0.0001
/// amount: S1, S2
/// concentration:
/// ```
public struct SBMLTestSettings: Hashable, Sendable {
    /// Start time (model time units).
    public var start: Double
    /// Length of the simulated interval (model time units).
    public var duration: Double
    /// Number of output intervals: outputs are at `start + i · duration / steps`, i = 0...steps.
    public var steps: Int
    /// Ids to report, in column order.
    public var variables: [String]
    /// Absolute tolerance of the comparison.
    public var absolute: Double
    /// Relative tolerance of the comparison.
    public var relative: Double
    /// Species to report as amounts.
    public var amount: Set<String>
    /// Species to report as concentrations.
    public var concentration: Set<String>

    public init(start: Double = 0, duration: Double, steps: Int, variables: [String], absolute: Double, relative: Double,
                amount: Set<String> = [], concentration: Set<String> = []) {
        self.start = start
        self.duration = duration
        self.steps = steps
        self.variables = variables
        self.absolute = absolute
        self.relative = relative
        self.amount = amount
        self.concentration = concentration
    }

    /// The output times `start + i · duration / steps` for i = 0...steps.
    public var outputTimes: [Double] {
        (0...steps).map { start + Double($0) * duration / Double(steps) }
    }

    /// Parses the settings text. Unknown keys are ignored (the suite has added keys over time); an empty
    /// `start` means 0.
    /// - Throws: `SBMLTestSuiteError.badSettings` naming the missing or malformed key.
    public init(parsing text: String) throws {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        func list(_ key: String) -> [String] {
            (values[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func number(_ key: String, default fallback: Double? = nil) throws -> Double {
            guard let text = values[key], !text.isEmpty else {
                if let fallback { return fallback }
                throw SBMLTestSuiteError.badSettings("missing '\(key)'")
            }
            guard let v = Double(text), v.isFinite else { throw SBMLTestSuiteError.badSettings("'\(key)' is '\(text)', not a number") }
            return v
        }
        let steps = try number("steps")
        guard steps >= 1, steps <= 1_000_000, steps == steps.rounded() else {
            throw SBMLTestSuiteError.badSettings("'steps' must be a positive integer, got \(steps)")
        }
        self.init(start: try number("start", default: 0), duration: try number("duration"), steps: Int(steps),
                  variables: list("variables"), absolute: try number("absolute"), relative: try number("relative"),
                  amount: Set(list("amount")), concentration: Set(list("concentration")))
        guard duration > 0 else { throw SBMLTestSuiteError.badSettings("'duration' must be positive, got \(duration)") }
        guard !variables.isEmpty else { throw SBMLTestSuiteError.badSettings("no 'variables'") }
    }
}

/// Why a test case's files cannot be used.
public enum SBMLTestSuiteError: Error, Hashable, Sendable, CustomStringConvertible {
    case badSettings(String)
    case badResults(String)
    case missingFile(String)

    public var description: String {
        switch self {
        case .badSettings(let m): "settings: \(m)"
        case .badResults(let m): "results: \(m)"
        case .missingFile(let m): "missing file: \(m)"
        }
    }
}
