import Foundation
import Testing
@testable import Trials

/// The shipped virtual-population example end to end: Allen 2016 acceptance–rejection must give a selected
/// population whose pathogen load at 12 h is indistinguishable from the target by a KS test at the 5 % level.
@Suite struct SelectionExampleTests {
    @Test func selectedPopulationMatchesTheTarget() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TwinCLI/Examples/sepsis-virtual-population.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let p = try plan(text)
        let result = try TrialRunner(plan: p, threads: 2).run()
        let out = temporaryFolder("selection")
        try TrialOutput.write(result, plan: p, programVersion: "test", to: out + "/run", specDirectory: url.deletingLastPathComponent().path)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run/summary.json"))) as! [String: Any]
        let selection = try #require(summary["selection"] as? [String: Any])
        let rate = try #require(selection["acceptance_rate"] as? Double)
        #expect(rate > 0 && rate < 1)
        let fit = try #require((selection["fit"] as? [[String: Any]])?.first)
        let n = try #require(fit["n"] as? Int)
        let ks = try #require(fit["ks_distance"] as? Double)
        #expect(n == 400)
        // the KS test's 5 % critical value is 1.358/√n
        #expect(ks < 1.358 / Double(n).squareRoot(), "KS distance \(ks)")
    }
}
