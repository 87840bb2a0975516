import Foundation
import ImmuneTwin

/// The built-in examples, run end to end by `twin demo` (their specs are `examples/*.yaml`, embedded here so
/// that the demo needs no files): (a) antiviral timing in SARS-CoV-2 with the Goyal 2020 model,
/// (b) anti-inflammatory infusion in sepsis with the Reynolds 2006 model. Each writes a trial output folder
/// (patients.csv, summary.json, trajectories.csv, report.html) under the demo folder.
enum Demo {
    static func run(out: String, patients: Int?, seed: UInt64?, threads: Int?) throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: out), !existing.isEmpty {
            throw InputError("\(out) exists and is not empty; choose another --out (results are never overwritten)")
        }
        let examples = [(name: "covid-antiviral-timing", file: "covid-antiviral-timing.yaml"),
                        (name: "sepsis-anti-inflammatory", file: "sepsis-anti-inflammatory.yaml")]
        for (name, file) in examples {
            guard let url = Bundle.module.url(forResource: file.replacingOccurrences(of: ".yaml", with: ""), withExtension: "yaml", subdirectory: "Examples"),
                  var text = try? String(contentsOf: url, encoding: .utf8) else {
                throw InputError("the built-in example \(file) is missing from the program's resources")
            }
            text = override(text, key: "seed", with: seed.map { "\($0)" })
            text = override(text, key: "sample_size", with: patients.map { "\($0)" })
            let plan = try TrialPlan(try TrialSpec.parse(text, file: file), specText: text)
            let folder = out + "/" + name
            print("== \(plan.spec.name)")
            try TrialCLI.run(plan: plan, shard: .whole, threads: threads, out: folder, specDirectory: folder)
            try conclusions(folder + "/summary.json")
        }
        print("demo reports: " + examples.map { "\(out)/\($0.name)/report.html" }.joined(separator: ", "))
    }

    /// Replaces the value of a top-level `key:` line (used for --seed and --patients).
    static func override(_ text: String, key: String, with value: String?) -> String {
        guard let value else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(key + ":") ? "\(key): \(value)  # set by twin demo" : String(line)
        }.joined(separator: "\n")
    }

    /// Prints each arm's endpoint medians / proportions and each comparison's main effect.
    static func conclusions(_ path: String) throws {
        guard let data = fm(path), let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let arms = summary["arms"] as? [[String: Any]] else { return }
        for arm in arms {
            let name = arm["name"] as? String ?? ""
            let endpoints = arm["endpoints"] as? [String: Any] ?? [:]
            let parts = endpoints.keys.sorted().compactMap { key -> String? in
                guard let e = endpoints[key] as? [String: Any] else { return nil }
                if let p = e["proportion"] as? Double { return "\(key) \(String(format: "%.1f %%", 100 * p))" }
                if let m = e["km_median"] as? Double { return "\(key) KM median \(String(format: "%.2f", m))" }
                if let m = e["median"] as? Double { return "\(key) median \(String(format: "%.3g", m))" }
                return nil
            }
            print("  \(name): " + parts.joined(separator: ", "))
        }
        for c in summary["comparisons"] as? [[String: Any]] ?? [] {
            let endpoints = c["endpoints"] as? [String: Any] ?? [:]
            for key in endpoints.keys.sorted() {
                guard let e = endpoints[key] as? [String: Any] else { continue }
                var text = ""
                if let hr = e["hazard_ratio"] as? Double, let p = e["log_rank_p_value"] as? Double {
                    text = String(format: "hazard ratio %.2f, log-rank p = %.2g", hr, p)
                } else if let rd = e["risk_difference"] as? Double, let p = e["p_value"] as? Double {
                    text = String(format: "risk difference %+.3f, p = %.2g", rd, p)
                } else if let d = e["difference"] as? Double, let p = e["p_value"] as? Double {
                    text = String(format: "difference in means %+.3g, p = %.2g", d, p)
                } else { continue }
                print("  \(c["arm"] as? String ?? "") vs \(c["reference"] as? String ?? ""), \(key): \(text)")
            }
        }
    }

    private static func fm(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }
}
