import Foundation

extension LibraryEntry {
    /// A plain-text description for a newcomer: what the model is, its states, parameters,
    /// treatment inputs, observables, variability defaults, scenarios and checks with their tags.
    ///
    /// This is what `twin models show NAME` prints. Tables are space-aligned; numbers use
    /// Swift's shortest round-trip formatting.
    public func describe() -> String {
        var out: [String] = []
        out.append("\(name): \(title)")
        out.append(String(repeating: "=", count: name.count + title.count + 2))
        out.append(summary)
        out.append("")
        out.append("Reference: \(citation.reference)")
        if let doi = citation.doi {
            out.append("DOI: \(doi)" + (citation.doiVerified ? "" : " (from memory, not confirmed)"))
        }
        if let pmid = citation.pmid { out.append("PMID: \(pmid)") }
        if let pmcid = citation.pmcid { out.append("PMCID: \(pmcid)") }
        out.append("Sources:")
        out += citation.sources.map { "  - \($0)" }
        out.append("Status: \(status)")
        out.append("Time unit: \(timeUnit)")

        section("States", into: &out, rows: species.map {
            [$0.id, $0.name, $0.unit, Self.format($0.initialValue), $0.meaning + " (initial: \($0.initialSource))"]
        }, header: ["id", "name", "unit", "initial", "meaning"])
        section("Parameters", into: &out, rows: parameters.map {
            [$0.id, Self.format($0.value), $0.unit, $0.meaning, $0.source]
        }, header: ["id", "value", "unit", "meaning", "source"])
        section("Derived quantities (assignment rules)", into: &out, rows: derived.map {
            [$0.id, "= \($0.expression)", $0.unit, $0.meaning]
        }, header: ["id", "definition", "unit", "meaning"])
        section("Treatment inputs", into: &out, rows: treatmentInputs.map { input in
            let typical = input.typicalValues.map { " Typical: " + $0.map(Self.format).joined(separator: ", ") + "." } ?? ""
            return [input.id, input.unit, "untreated \(Self.format(input.untreatedValue))",
                    input.meaning + (input.notes.isEmpty ? "" : ". " + input.notes) + typical]
        }, header: ["id", "unit", "untreated", "meaning"], empty: "none (no treatment in this model)")
        section("Observables", into: &out, rows: observables.map {
            [$0.id, "= \($0.expression)", $0.unit, ($0.isClinical ? "[clinical] " : "") + $0.meaning]
        }, header: ["id", "definition", "unit", "meaning"])
        section("Population variability defaults", into: &out, rows: variability.map {
            [$0.parameter, Self.spread($0), $0.isAssumption ? "assumption" : "data", $0.source]
        }, header: ["parameter", "distribution", "basis", "source"])
        if !scenarios.isEmpty {
            section("Scenarios", into: &out, rows: scenarios.map { scenario in
                let values = scenario.inputs.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.format($0.value))" }
                return [scenario.name, values.joined(separator: " "), scenario.description]
            }, header: ["name", "inputs", "description"])
        }
        out.append("")
        out.append("Published checks ([H] reproduced or derived, [M] abstract/secondary, [L] unverified: never a gate)")
        for check in checks {
            out.append("  [\(check.confidence.rawValue)] \(check.id): \(check.description)")
            out.append("      expected: \(check.expected)")
            out.append("      " + (check.isTested ? "tested by \(check.test)" : check.test))
        }
        if !notes.isEmpty {
            out.append("")
            out.append("Notes")
            out += notes.map { "  - \($0)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func section(_ title: String, into out: inout [String], rows: [[String]], header: [String],
                         empty: String = "none") {
        out.append("")
        out.append(title)
        guard !rows.isEmpty else {
            out.append("  \(empty)")
            return
        }
        let all = [header] + rows
        // Pad every column but the last so the free-text column is not stretched.
        let widths = (0..<header.count - 1).map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            var line = "  "
            for (column, cell) in row.enumerated() {
                if column < widths.count {
                    line += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
                } else {
                    line += cell
                }
            }
            out.append(line)
        }
    }

    private static func spread(_ v: ParameterVariability) -> String {
        switch v.distribution {
        case .lognormal: "lognormal, CV \(v.cv.map(format) ?? "?")"
        case .normal: "normal, SD \(v.sd.map(format) ?? "?")"
        case .uniform: "uniform \(v.lower.map(format) ?? "?")..\(v.upper.map(format) ?? "?")"
        }
    }

    /// Shortest text that reads back as `value`: plain for 1e-4 <= |value| < 1e6, else scientific
    /// (`4e8`, `3.91359322673521e-5`).
    static func format(_ value: Double) -> String {
        let magnitude = abs(value)
        if value == 0 || (magnitude >= 1e-4 && magnitude < 1e6) {
            if value == value.rounded() { return String(Int64(value)) }
            return "\(value)"
        }
        for digits in 0...16 {
            let text = String(format: "%.\(digits)e", value)
            guard Double(text) == value, let e = text.firstIndex(of: "e") else { continue }
            let exponent = Int(text[text.index(after: e)...]) ?? 0
            return "\(text[..<e])e\(exponent)"
        }
        return "\(value)"
    }
}
