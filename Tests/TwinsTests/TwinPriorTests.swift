import Foundation
import Testing
@testable import Twins

@Suite struct TwinPriorTests {
    @Test func libraryVariabilityBecomesAGaussianPriorOnTheScales() throws {
        let prior = try TwinPrior.fromLibrary("baccam2006", errorSD: 0.3)
        let beta = try #require(prior.parameters.first { $0.id == "beta" })
        #expect(beta.scale == .log)
        #expect(abs(beta.mean - log(3.2e-5)) < 1e-12)
        #expect(abs(beta.sd - log(1 + 0.25).squareRoot()) < 1e-12)
        #expect(prior.errors == [ErrorModel(observable: "log10_titre", sd: 0.3)])
    }

    @Test func priorSpecWithTruncationAndErrors() throws {
        let yaml = """
            model: baccam2006
            parameters:
              beta: {distribution: lognormal, median: 4.0e-5, cv: 0.5, upper: 1.0e-4}
              V0: {distribution: lognormal, median: 0.1, cv: 1.0}
            errors:
              log10_titre: 0.25
            """
        let prior = try TwinPrior.read(yaml: yaml)
        #expect(prior.parameters.map(\.id) == ["beta", "V0"])
        #expect(abs(prior.parameters[0].upper - log(1e-4)) < 1e-12)
        #expect(prior.errorSD(for: "log10_titre") == 0.25)
    }

    @Test func aTrialSpecIsAcceptedAsAPrior() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/covid-antiviral-timing.yaml")
        let prior = try TwinPrior.read(yaml: try String(contentsOf: url, encoding: .utf8), file: "covid.yaml", defaultErrorSD: 0.7)
        #expect(prior.model == "goyal2020")
        #expect(!prior.parameters.isEmpty)
        #expect(prior.errorSD(for: "log10_viral_load") == 0.7)
    }

    @Test(arguments: [
        ("model: baccam2006\nextra: 1\n", "<prior>:2: unknown key 'extra'"),
        ("model: baccam2006\nparameters:\n  beta: {distribution: gamma}\n", "<prior>:3: beta: distribution must be lognormal or normal"),
        ("model: baccam2006\nparameters:\n  beta: {distribution: lognormal, median: 1}\n", "<prior>:3: beta: missing 'cv'"),
        ("model: baccam2006\nparameters:\n  nope: {distribution: normal, mean: 1, sd: 1}\n", "not an input"),
        ("model: baccam2006\nerrors:\n  log10_titre: -1\n", "<prior>:3: error SD of log10_titre must be positive"),
    ])
    func badPriorsNameTheLine(yaml: String, message: String) {
        do {
            _ = try TwinPrior.read(yaml: yaml)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
