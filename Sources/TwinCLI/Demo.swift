import Foundation
import ImmuneTwin

/// The built-in example: a virtual cohort of the Reynolds 2006 acute-inflammation model (the library's
/// population-variability defaults, log-normal, seeded per patient), simulated for 200 h without and with
/// an anti-inflammatory infusion (the model's `ca_infusion` input switched on over 0–24 h), each patient
/// classified into the paper's three outcomes. Writes `patients.csv` and `summary.json` into the output folder.
///
/// Outcome at 200 h: septic death when the pathogen persists (P > 1), aseptic death when the pathogen is
/// cleared but damage persists (D > 1), otherwise health. A patient whose simulation fails is recorded with
/// its status and counted separately.
enum Demo {
    static let arms: [(name: String, infusion: Double)] = [("control", 0), ("anti-inflammatory", 0.04)]

    static func run(out: String, patients: Int, seed: UInt64) throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: out), !existing.isEmpty {
            throw InputError("\(out) exists and is not empty; choose another --out (results are never overwritten)")
        }
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let entry = try ModelLibrary.entry(named: "reynolds2006")
        let model = try ModelLibrary.model(named: "reynolds2006")
        let compiled = try CompiledModel(model, outputs: [.value("P"), .value("N"), .value("D"), .value("CA")])
        let varying = try entry.variability.map { v -> (Int, Double) in
            guard let k = compiled.inputIndex(of: v.parameter) else { throw InputError("variability names unknown input \(v.parameter)") }
            let cv = v.cv ?? 0
            return (k, (log(1 + cv * cv)).squareRoot())
        }
        guard compiled.inputIndex(of: "ca_infusion") != nil else { throw InputError("reynolds2006 lacks the ca_infusion input") }
        let template = SimulationProblem(model: compiled, outputTimes: [0, 24, 48, 100, 200])
        var csv = "patient,arm," + entry.variability.map(\.parameter).joined(separator: ",") + ",P_200,N_200,D_200,CA_200,outcome,status\n"
        var summary: [[String: Any]] = []
        let clock = ContinuousClock()
        let start = clock.now
        for (armIndex, arm) in arms.enumerated() {
            let results = Ensemble.run(template: template, count: patients, configure: { i, p in
                // the same virtual patient (same draws) in every arm: keyed by (seed, patient index)
                var rng = SplitMix64(seed: seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
                for (k, sigma) in varying { p.inputs[k] *= exp(sigma * rng.nextGaussian()) }
                if arm.infusion > 0 {
                    p.doses = [Dose(target: "ca_infusion", time: 0, amount: arm.infusion, kind: .set),
                               Dose(target: "ca_infusion", time: 24, amount: 0, kind: .set)]
                }
            }, reduce: { i, r -> (String, [Double], SimulationStatus) in
                var rng = SplitMix64(seed: seed ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
                let draws = varying.map { compiled.defaultInputs[$0.0] * exp($0.1 * rng.nextGaussian()) }
                guard r.status.isSuccess else { return ("failed", draws + [.nan, .nan, .nan, .nan], r.status) }
                let last = (0..<4).map { r[r.times.count - 1, $0] }
                let outcome = last[0] > 1 ? "septic_death" : (last[2] > 1 ? "aseptic_death" : "health")
                return (outcome, draws + last, r.status)
            })
            var counts: [String: Int] = [:]
            for (i, (outcome, values, status)) in results.enumerated() {
                counts[outcome, default: 0] += 1
                csv += "\(i),\(arm.name)," + values.map { "\($0)" }.joined(separator: ",") + ",\(outcome),\(status.code)\n"
            }
            summary.append(["arm": arm.name, "index": armIndex, "patients": patients,
                            "health": counts["health", default: 0], "aseptic_death": counts["aseptic_death", default: 0],
                            "septic_death": counts["septic_death", default: 0], "failed": counts["failed", default: 0]])
        }
        let seconds = (clock.now - start).seconds
        let provenance: [String: Any] = ["program": "twin \(Twin.version)", "model": "reynolds2006", "model_hash": compiled.modelHash,
                                         "seed": seed, "patients_per_arm": patients]
        let json = try JSONSerialization.data(withJSONObject: ["arms": summary, "provenance": provenance], options: [.prettyPrinted, .sortedKeys])
        try writeNewFile(csv, to: out + "/patients.csv")
        try writeNewFile(String(decoding: json, as: UTF8.self), to: out + "/summary.json")
        print("Reynolds 2006 sepsis cohort: \(patients) virtual patients per arm, seed \(seed)")
        print("arm                 health  aseptic death  septic death  failed")
        for s in summary {
            let name = (s["arm"] as? String ?? "").padding(toLength: 18, withPad: " ", startingAt: 0)
            print(name + String(format: " %7d %14d %13d %7d", s["health"] as? Int ?? 0, s["aseptic_death"] as? Int ?? 0,
                                s["septic_death"] as? Int ?? 0, s["failed"] as? Int ?? 0))
        }
        print(String(format: "%d simulations in %.2f s", patients * arms.count, seconds))
        print("wrote \(out)/patients.csv and \(out)/summary.json")
    }
}
