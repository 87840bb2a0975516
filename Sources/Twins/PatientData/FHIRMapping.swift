import Foundation
import Yams

/// How FHIR R4 Observations map onto model observables: the code → observable table, unit conversions and the
/// clock. Read from YAML:
///
/// ```yaml
/// reference_time: 2020-03-01T00:00:00Z   # model time 0 (e.g. infection or admission), ISO 8601
/// time_unit: d                           # the model's time unit: s, min, h or d
/// observations:
///   - system: http://loinc.org
///     code: 94745-7                      # SARS-CoV-2 RNA [#/volume] in specimen by NAA
///     observable: log10_viral_load
///     units: {"{copies}/mL": 1, "{copies}/L": 0.001}   # UCUM code → factor to the canonical unit
///     transform: log10                   # lin (default), ln or log10, applied after the unit factor
///     offset: 0                          # added after the transform (e.g. -log10 of a sample volume)
///     sd: 0.5                            # default measurement SD on the observable's scale
/// ```
public struct FHIRMapping: Sendable, Equatable {
    public enum Transform: String, Sendable, Equatable { case lin, ln, log10 }

    public struct Rule: Sendable, Equatable {
        public var system: String
        public var code: String
        public var observable: String
        /// UCUM unit code → factor that converts a value in that unit to the canonical unit.
        public var units: [String: Double]
        public var transform: Transform
        public var offset: Double
        public var sd: Double?
    }

    public var referenceTime: Date
    /// Seconds per model time unit.
    public var secondsPerTimeUnit: Double
    public var rules: [Rule]

    public init(referenceTime: Date, secondsPerTimeUnit: Double, rules: [Rule]) {
        self.referenceTime = referenceTime
        self.secondsPerTimeUnit = secondsPerTimeUnit
        self.rules = rules
    }

    /// Reads a mapping file; errors name the file, line and key.
    public static func read(contentsOf url: URL) throws -> FHIRMapping {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PatientDataError(file: url.path, line: 0, message: "cannot read the mapping file as UTF-8 text")
        }
        return try read(yaml: text, file: url.lastPathComponent)
    }

    public static func read(yaml: String, file: String = "<mapping>") throws -> FHIRMapping {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw PatientDataError(file: file, line: 0, message: "empty mapping file")
            }
            root = node
        } catch let error as PatientDataError { throw error } catch {
            throw PatientDataError(file: file, line: 0, message: "not valid YAML: \(error)")
        }
        func fail(_ node: Node, _ message: String, _ key: String? = nil) -> PatientDataError {
            PatientDataError(file: file, line: (node.mark?.line ?? 0), column: key, message: message)
        }
        guard let top = root.mapping else { throw fail(root, "expected a mapping at the top level") }
        let allowed: Set = ["reference_time", "time_unit", "observations"]
        for (k, _) in top where !allowed.contains(k.string ?? "") {
            throw fail(k, "unknown key '\(k.string ?? "?")'; expected \(allowed.sorted().joined(separator: ", "))", k.string)
        }
        guard let refNode = top["reference_time"], let refText = refNode.string, let reference = FHIRDates.parse(refText) else {
            throw fail(top["reference_time"] ?? root, "reference_time must be an ISO 8601 date or date-time", "reference_time")
        }
        let unitSeconds: [String: Double] = ["s": 1, "min": 60, "h": 3600, "d": 86400, "wk": 604_800]
        guard let unitNode = top["time_unit"], let unit = unitNode.string, let seconds = unitSeconds[unit] else {
            throw fail(top["time_unit"] ?? root, "time_unit must be one of s, min, h, d, wk", "time_unit")
        }
        guard let list = top["observations"]?.sequence, !list.isEmpty else {
            throw fail(top["observations"] ?? root, "observations must be a non-empty list", "observations")
        }
        var rules: [Rule] = []
        for item in list {
            guard let m = item.mapping else { throw fail(item, "each observation mapping must be a mapping") }
            let keys: Set = ["system", "code", "observable", "units", "transform", "offset", "sd"]
            for (k, _) in m where !keys.contains(k.string ?? "") {
                throw fail(k, "unknown key '\(k.string ?? "?")'", k.string)
            }
            func text(_ key: String) throws -> String {
                guard let v = m[key]?.string, !v.isEmpty else { throw fail(item, "missing '\(key)'", key) }
                return v
            }
            func number(_ key: String) throws -> Double? {
                guard let node = m[key] else { return nil }
                guard let s = node.string, let v = Double(s), v.isFinite else { throw fail(node, "'\(key)' must be a finite number", key) }
                return v
            }
            guard let unitsNode = m["units"]?.mapping, !unitsNode.isEmpty else {
                throw fail(item, "missing 'units' (UCUM code → factor)", "units")
            }
            var units: [String: Double] = [:]
            for (k, v) in unitsNode {
                guard let code = k.string, let s = v.string, let f = Double(s), f > 0, f.isFinite else {
                    throw fail(v, "unit factors must be positive numbers", "units")
                }
                units[code] = f
            }
            let transformText = m["transform"]?.string ?? "lin"
            guard let transform = Transform(rawValue: transformText) else {
                throw fail(m["transform"]!, "transform must be lin, ln or log10", "transform")
            }
            let sd = try number("sd")
            if let sd, sd <= 0 { throw fail(m["sd"]!, "sd must be positive", "sd") }
            rules.append(Rule(system: try text("system"), code: try text("code"), observable: try text("observable"),
                              units: units, transform: transform, offset: try number("offset") ?? 0, sd: sd))
        }
        return FHIRMapping(referenceTime: reference, secondsPerTimeUnit: seconds, rules: rules)
    }
}

/// ISO 8601 dates as FHIR writes them (date, date-time with zone, optional fractional seconds).
enum FHIRDates {
    static func parse(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let d = full.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = fractional.date(from: text) { return d }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
