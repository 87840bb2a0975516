import Foundation

/// Pass counts of the cases carrying one tag.
public struct SBMLTagStatistics: Hashable, Sendable {
    public var tag: String
    /// `component` or `test`.
    public var kind: String
    public var passed = 0
    public var failed = 0
    public var skipped = 0

    /// Cases with the tag.
    public var total: Int { passed + failed + skipped }
    /// passed / (passed + failed); nil when every case was skipped.
    public var passRate: Double? { passed + failed == 0 ? nil : Double(passed) / Double(passed + failed) }
}

extension SBMLTestSuiteSummary {
    /// Statistics per component tag and per test tag, sorted by kind, then by tag.
    public var tagStatistics: [SBMLTagStatistics] {
        var table: [String: SBMLTagStatistics] = [:]
        for r in results {
            for (kind, tags) in [("component", r.componentTags), ("test", r.testTags)] {
                for tag in Set(tags) {
                    let key = kind + "\u{0}" + tag
                    var s = table[key] ?? SBMLTagStatistics(tag: tag, kind: kind)
                    switch r.outcome {
                    case .pass: s.passed += 1
                    case .fail: s.failed += 1
                    case .skip: s.skipped += 1
                    }
                    table[key] = s
                }
            }
        }
        return table.values.sorted { ($0.kind, $0.tag) < ($1.kind, $1.tag) }
    }

    private static func percent(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
    }

    /// A Markdown report: totals, pass rate per tag, every failure with its reason, and skip reasons.
    public func markdownReport() -> String {
        var out = "# SBML Test Suite results\n\n\(closingLine)\n\n"
        let run = passed + failed
        out += "Pass rate of the cases run: \(Self.percent(run == 0 ? nil : Double(passed) / Double(run)))\n\n"
        out += "## Pass rate by tag\n\n| Tag | Kind | Cases | Passed | Failed | Skipped | Pass rate |\n|---|---|---:|---:|---:|---:|---:|\n"
        for s in tagStatistics {
            out += "| \(s.tag) | \(s.kind) | \(s.total) | \(s.passed) | \(s.failed) | \(s.skipped) | \(Self.percent(s.passRate)) |\n"
        }
        let failures = results.filter { $0.outcome.label == "fail" }
        if !failures.isEmpty {
            out += "\n## Failures\n\n| Case | Reason | Tags |\n|---|---|---|\n"
            for r in failures {
                if case .fail(let reason) = r.outcome {
                    out += "| \(r.id) | \(Self.cell(reason)) | \(Self.cell((r.componentTags + r.testTags).joined(separator: ", "))) |\n"
                }
            }
        }
        var skipReasons: [String: Int] = [:]
        for r in results { if case .skip(let reason) = r.outcome { skipReasons[reason, default: 0] += 1 } }
        if !skipReasons.isEmpty {
            out += "\n## Skipped\n\n| Reason | Cases |\n|---|---:|\n"
            for (reason, n) in skipReasons.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                out += "| \(Self.cell(reason)) | \(n) |\n"
            }
        }
        return out
    }

    private static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|")
    }

    /// A CSV report, one row per tag: `tag,kind,cases,passed,failed,skipped,pass_rate`.
    public func csvReport() -> String {
        var out = "tag,kind,cases,passed,failed,skipped,pass_rate\n"
        for s in tagStatistics {
            let rate = s.passRate.map { String(format: "%.4f", $0) } ?? ""
            out += "\(Self.csvField(s.tag)),\(s.kind),\(s.total),\(s.passed),\(s.failed),\(s.skipped),\(rate)\n"
        }
        return out
    }

    private static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Writes `csvReport()` when `url` ends in `.csv`, `markdownReport()` otherwise.
    /// - Throws: Foundation's error when the file cannot be written.
    public func writeReport(to url: URL) throws {
        let text = url.pathExtension.lowercased() == "csv" ? csvReport() : markdownReport()
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
}
