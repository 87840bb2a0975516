import Testing
@testable import Trials

@Suite("Trial spec errors name the line")
struct SpecErrorTests {
    static let valid = """
    name: t
    model: reynolds2006
    seed: 3
    sample_size: 10
    population:
      parameters:
        kpg: {distribution: lognormal, median: 0.3, cv: 0.5}
    arms:
      - name: a
    follow_up: {end: 10}
    endpoints:
      - {name: d, type: value, observable: D, time: 10}
    """

    @Test func theValidSpecPlans() throws {
        let p = try plan(Self.valid)
        #expect(p.patientCount == 10)
    }

    struct ErrorCase: Sendable, CustomStringConvertible {
        var replace: String
        var with: String
        var line: Int
        var contains: String
        var description: String { contains }
    }

    @Test(arguments: [
        ErrorCase(replace: "sample_size: 10", with: "sampel_size: 10", line: 4, contains: "unknown key 'sampel_size'"),
        ErrorCase(replace: "sample_size: 10", with: "sample_size: 0", line: 4, contains: "at least 1"),
        ErrorCase(replace: "kpg: {", with: "kpgg: {", line: 7, contains: "'kpgg' is not a parameter"),
        ErrorCase(replace: "cv: 0.5", with: "cv: -0.5", line: 7, contains: "cv must be positive"),
        ErrorCase(replace: "observable: D", with: "observable: DD", line: 12, contains: "'DD' is not an observable"),
        ErrorCase(replace: "time: 10}", with: "time: 11}", line: 12, contains: "outside the follow-up"),
        ErrorCase(replace: "model: reynolds2006", with: "model: nosuchmodel", line: 2, contains: "nosuchmodel"),
        ErrorCase(replace: "  - name: a", with: "  - name: a\n    regimen: [{set: nosuch, value: 1}]", line: 10, contains: "nosuch"),
        ErrorCase(replace: "  - name: a", with: "  - name: a\n    ratio: 0", line: 10, contains: "ratio must be at least 1"),
        ErrorCase(replace: "follow_up: {end: 10}", with: "follow_up: {end: -1}", line: 10, contains: "must be after its start"),
        ErrorCase(replace: "type: value", with: "type: median", line: 12, contains: "endpoint type must be"),
    ])
    func errorsNameTheLine(_ c: ErrorCase) {
        let yaml = Self.valid.replacingOccurrences(of: c.replace, with: c.with)
        do {
            _ = try plan(yaml)
            Issue.record("no error for \(c.with)")
        } catch let error as TrialError {
            #expect(error.line == c.line, "\(error)")
            #expect(error.description.contains(c.contains), "\(error)")
        } catch {
            Issue.record("unexpected error type: \(error)")
        }
    }

    @Test func jointlyImpossibleCorrelationsAreRejected() {
        let yaml = Self.valid.replacingOccurrences(of: "    kpg: {distribution: lognormal, median: 0.3, cv: 0.5}", with: """
            kpg: {distribution: lognormal, median: 0.3, cv: 0.5}
            kpn: {distribution: lognormal, median: 1.8, cv: 0.2}
            mud: {distribution: lognormal, median: 0.02, cv: 0.2}
          correlations:
            - [kpg, kpn, 0.9]
            - [kpn, mud, 0.9]
            - [kpg, mud, -0.9]
        """)
        #expect(throws: TrialError.self) { try plan(yaml) }
        do { _ = try plan(yaml) } catch { #expect("\(error)".contains("not positive definite"), "\(error)") }
    }
}
