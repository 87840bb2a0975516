import Foundation
import Testing
@testable import Twins

@Suite struct TwinStoreTests {
    static func temporaryPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twin-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test func createObserveAndReadBackTheHistory() throws {
        let path = Self.temporaryPath("p1.twin")
        let truth = Synthetic.truth(4, seed: 21)
        let data = try Synthetic.observations(truth: truth, times: [1, 2, 3, 4, 5], seed: 21, index: 4)
        let first = try PatientTwin.create(path: path, prior: Synthetic.prior, observations: Array(data.prefix(2)), programVersion: "test")
        let update = try PatientTwin.observe(path: path, observations: Array(data.suffix(3)), programVersion: "test")
        #expect(update.before == first)
        let store = try TwinStore.open(path: path)
        let history = try store.history()
        #expect(history.map(\.kind) == ["create", "observe"])
        #expect(history.map(\.addedObservations) == [2, 3])
        #expect(try store.observations() == data)
        #expect(try store.posterior() == update.after)
        #expect(try store.prior() == Synthetic.prior)
        #expect(try store.modelSource().contains("model baccam2006"))
        // warm-started refit on all data equals a fresh fit on all data (same optimum)
        let fresh = try IndividualFit.map(try TwinObjective(model: Synthetic.model, observations: data))
        for i in fresh.mode.indices { #expect(abs(fresh.mode[i] - update.after.mode[i]) < 1e-3 * Synthetic.prior.parameters[i].sd) }
    }

    @Test func neverOverwritesAnExistingFile() throws {
        let path = Self.temporaryPath("p2.twin")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TwinError.self) {
            try PatientTwin.create(path: path, prior: Synthetic.prior,
                                   observations: [PatientObservation(time: 1, observable: "log10_titre", value: 2)], programVersion: "test")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
    }

    @Test func aFailedUpdateLeavesThePreviousStateIntact() throws {
        let path = Self.temporaryPath("p3.twin")
        let data = try Synthetic.observations(truth: Synthetic.truth(5, seed: 3), times: [1, 2], seed: 3, index: 5)
        _ = try PatientTwin.create(path: path, prior: Synthetic.prior, observations: data, programVersion: "test")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // an observation of an unknown observable fails validation before anything is written
        #expect(throws: TwinError.self) {
            try PatientTwin.observe(path: path, observations: [PatientObservation(time: 3, observable: "nope", value: 1)], programVersion: "test")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // an error thrown inside the transaction rolls back the partial insert
        let store = try TwinStore.open(path: path)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.db.transaction {
                try store.db.query("INSERT INTO meta VALUES ('partial', 'x')")
                throw Boom()
            }
        }
        #expect(try store.db.query("SELECT count(*) FROM meta WHERE key = 'partial'").first?.first?.int == 0)
        #expect(try store.history().count == 1)
    }

    @Test func notATwinFileIsAClearError() throws {
        let path = Self.temporaryPath("p4.twin")
        try Data("not sqlite".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TwinError.self) { try TwinStore.open(path: path) }
        #expect(throws: TwinError.self) { try TwinStore.open(path: path + ".missing") }
    }
}

@Suite struct TwinMCMCTests {
    @Test func mcmcSamplesAreStoredAndAgreeWithLaplace() throws {
        let path = TwinStoreTests.temporaryPath("mcmc.twin")
        let data = try Synthetic.observations(truth: Synthetic.truth(6, seed: 31), times: [0.5, 1, 1.5, 2, 3], seed: 31, index: 6)
        let laplace = try PatientTwin.create(path: path, prior: Synthetic.prior, observations: data,
                                             mcmc: PatientTwin.MCMCRequest(chains: 3, iterations: 1500, seed: 2, threads: 2),
                                             programVersion: "test")
        let store = try TwinStore.open(path: path)
        let samples = try #require(try store.latestSamples())
        #expect(samples.draws.count > 500)
        let sds = laplace.standardDeviations
        for i in laplace.mode.indices {
            let mean = samples.draws.reduce(0) { $0 + $1[i] } / Double(samples.draws.count)
            // a near-Gaussian posterior: the MCMC mean lies within a posterior SD of the Laplace mode
            #expect(abs(mean - laplace.mode[i]) < sds[i], "\(Synthetic.prior.parameters[i].id)")
        }
        let sample = try PatientTwin.posteriorSample(store: store, model: Synthetic.model, draws: 10, seed: 1)
        #expect(sample.thetas == samples.draws)
        #expect(try store.history().last?.changes.contains { $0.contains("R-hat") } == true)
    }
}
