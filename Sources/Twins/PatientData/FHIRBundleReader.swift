import Foundation

/// Reads FHIR R4 JSON — a `Bundle` of `Observation` resources (or a single Observation) — into observations of
/// model observables, through a `FHIRMapping`.
///
/// Each Observation needs a `code.coding` entry whose (system, code) the mapping lists, an effective time
/// (`effectiveDateTime`, `effectiveInstant` or `effectivePeriod.start`) and a `valueQuantity` whose UCUM `code`
/// (or `unit`) the mapping's rule converts. Observations with status `entered-in-error` or `cancelled` are
/// excluded and listed in `skipped` (never silently). Any other problem is an error naming the bundle entry
/// (1-based index and resource id); all errors are reported together.
public enum FHIRBundleReader {
    public struct Output: Sendable {
        public var observations: [PatientObservation]
        /// Resources deliberately left out, with the reason (e.g. "entry 4 (obs-4): status entered-in-error").
        public var skipped: [String]
    }

    public static func read(contentsOf url: URL, mapping: FHIRMapping) throws -> Output {
        guard let data = try? Data(contentsOf: url) else {
            throw PatientDataError(file: url.path, line: 0, message: "cannot read the FHIR file")
        }
        return try read(data: data, file: url.lastPathComponent, mapping: mapping)
    }

    public static func read(data: Data, file: String = "<fhir>", mapping: FHIRMapping) throws -> Output {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw PatientDataError(file: file, line: 0, message: "not valid JSON: \(error.localizedDescription)")
        }
        guard let root = json as? [String: Any], let type = root["resourceType"] as? String else {
            throw PatientDataError(file: file, line: 0, message: "expected a FHIR resource with a resourceType")
        }
        let resources: [[String: Any]]
        switch type {
        case "Bundle":
            let entries = root["entry"] as? [[String: Any]] ?? []
            resources = entries.map { $0["resource"] as? [String: Any] ?? [:] }
        case "Observation":
            resources = [root]
        default:
            throw PatientDataError(file: file, line: 0, message: "expected a Bundle or an Observation, got \(type)")
        }
        var output = Output(observations: [], skipped: [])
        var errors: [PatientDataError] = []
        for (i, resource) in resources.enumerated() {
            let id = resource["id"] as? String ?? "?"
            let label = "entry \(i + 1) (\(id))"
            func error(_ message: String, _ element: String? = nil) -> PatientDataError {
                PatientDataError(file: file, line: i + 1, column: element, message: "\(label): \(message)")
            }
            guard resource["resourceType"] as? String == "Observation" else {
                output.skipped.append("\(label): not an Observation (\(resource["resourceType"] as? String ?? "no resourceType"))")
                continue
            }
            if let status = resource["status"] as? String, ["entered-in-error", "cancelled"].contains(status) {
                output.skipped.append("\(label): status \(status)")
                continue
            }
            let codings = (resource["code"] as? [String: Any])?["coding"] as? [[String: Any]] ?? []
            let rule = codings.lazy.compactMap { coding -> FHIRMapping.Rule? in
                let system = coding["system"] as? String, code = coding["code"] as? String
                return mapping.rules.first { $0.system == system && $0.code == code }
            }.first
            guard let rule else {
                let listed = codings.map { "\($0["system"] as? String ?? "?")|\($0["code"] as? String ?? "?")" }
                errors.append(error("no mapping for code \(listed.isEmpty ? "(none)" : listed.joined(separator: ", "))", "code"))
                continue
            }
            let timeText = resource["effectiveDateTime"] as? String ?? resource["effectiveInstant"] as? String
                ?? (resource["effectivePeriod"] as? [String: Any])?["start"] as? String
            guard let timeText, let date = FHIRDates.parse(timeText) else {
                errors.append(error("missing or unreadable effective time", "effectiveDateTime"))
                continue
            }
            guard let quantity = resource["valueQuantity"] as? [String: Any],
                  let raw = (quantity["value"] as? NSNumber)?.doubleValue, raw.isFinite else {
                errors.append(error("missing valueQuantity.value", "valueQuantity"))
                continue
            }
            let unit = quantity["code"] as? String ?? quantity["unit"] as? String ?? ""
            guard let factor = rule.units[unit] else {
                errors.append(error("unit '\(unit)' is not convertible for \(rule.observable); mapped units: \(rule.units.keys.sorted().joined(separator: ", "))", "valueQuantity.code"))
                continue
            }
            let canonical = raw * factor
            let value: Double
            switch rule.transform {
            case .lin: value = canonical
            case .ln, .log10:
                guard canonical > 0 else {
                    errors.append(error("value \(raw) must be positive for a \(rule.transform.rawValue) observable", "valueQuantity.value"))
                    continue
                }
                value = rule.transform == .ln ? log(canonical) : log10(canonical)
            }
            let time = date.timeIntervalSince(mapping.referenceTime) / mapping.secondsPerTimeUnit
            output.observations.append(PatientObservation(time: time, observable: rule.observable, value: value + rule.offset,
                                                          sd: rule.sd, source: "\(file)#\(id)"))
        }
        guard errors.isEmpty else { throw PatientDataErrors(errors: errors) }
        output.observations.sort { ($0.time, $0.observable) < ($1.time, $1.observable) }
        return output
    }
}
