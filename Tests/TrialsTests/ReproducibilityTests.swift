import Foundation
import Testing
@testable import Trials

@Suite("Same seed, same bytes for any threads and shard split")
struct ReproducibilityTests {
    static let yaml = """
    name: reproducibility
    model: reynolds2006
    seed: 99
    sample_size: [20, 45]
    design: parallel
    population:
      parameters:
        kpg: {distribution: lognormal, median: 0.3, cv: 0.5}
        P0: {distribution: lognormal, median: 1.0, cv: 0.3, upper: 2}
        kpn: {distribution: lognormal, median: 1.8, cv: 0.2}
      correlations:
        - [kpg, kpn, 0.3]
      covariates:
        age: {distribution: normal, mean: 60, sd: 12, lower: 18, upper: 95}
        sex: {female: 0.5}
      effects:
        mud: "0.02 * (1 - 0.003 * (age - 60))"
      inclusion:
        - "age >= 30"
    arms:
      - name: control
        ratio: 2
      - name: treated
        regimen: [{set: ca_infusion, value: 0.04, at: 0, duration: 24}]
    follow_up: {end: 100, points: 51}
    endpoints:
      - {name: d100, type: value, observable: D, time: 100}
      - {name: death, type: time_to, observable: D, above: 5}
      - {name: healthy, type: responder, rule: "d100 < 1"}
    trajectory: {observable: D, patients: 10}
    """

    func files(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in ["patients.csv", "summary.json", "trajectories.csv"] {
            out[name] = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        }
        return out
    }

    @Test func threadsAndShardsGiveByteIdenticalOutputs() throws {
        let p = try plan(Self.yaml)
        let base = temporaryFolder("repro")
        try TrialOutput.write(try TrialRunner(plan: p, threads: 1).run(), plan: p, programVersion: "test",
                              to: base + "/one", specDirectory: base)
        var runner = TrialRunner(plan: p, threads: 3)
        runner.chunkSize = 7
        try TrialOutput.write(try runner.run(), plan: p, programVersion: "test", to: base + "/three", specDirectory: base)
        var shards: [String] = []
        for i in [3, 1, 2] {
            let dir = base + "/shard\(i)"
            try TrialOutput.write(try TrialRunner(plan: p, threads: 2).run(shard: Shard(index: i, count: 3)), plan: p,
                                  programVersion: "test", to: dir, specDirectory: base)
            shards.append(dir)
        }
        try TrialOutput.merge(shards, into: base + "/merged", programVersion: "test")
        let one = try files(base + "/one")
        #expect(try files(base + "/three") == one)
        #expect(try files(base + "/merged") == one)
        let csv = String(decoding: one["patients.csv"]!, as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 46)
        #expect(!csv.contains("not_eligible"), "age >= 30 is met within 100 candidates")
    }

    @Test func mergeRefusesMissingAndForeignShards() throws {
        let p = try plan(Self.yaml)
        let base = temporaryFolder("merge")
        try TrialOutput.write(try TrialRunner(plan: p).run(shard: Shard(index: 1, count: 2)), plan: p, programVersion: "test",
                              to: base + "/s1", specDirectory: base)
        #expect(throws: TrialError.self) { try TrialOutput.merge([base + "/s1"], into: base + "/m", programVersion: "test") }
        let other = try plan(Self.yaml.replacingOccurrences(of: "seed: 99", with: "seed: 100"))
        try TrialOutput.write(try TrialRunner(plan: other).run(shard: Shard(index: 2, count: 2)), plan: other,
                              programVersion: "test", to: base + "/s2", specDirectory: base)
        #expect(throws: TrialError.self) { try TrialOutput.merge([base + "/s1", base + "/s2"], into: base + "/m", programVersion: "test") }
        // an existing non-empty output folder is never overwritten
        #expect(throws: TrialError.self) {
            try TrialOutput.write(try TrialRunner(plan: p).run(), plan: p, programVersion: "test", to: base + "/s1", specDirectory: base)
        }
    }

    @Test func randomisationFollowsTheRatioInEveryBlock() throws {
        let runner = TrialRunner(plan: try plan(Self.yaml))
        for block in 0..<20 {
            let arms = (0..<6).map { runner.arm(of: block * 6 + $0) }
            #expect(arms.filter { $0 == 0 }.count == 4 && arms.filter { $0 == 1 }.count == 2)
        }
    }
}
