import Foundation
import Testing
@testable import Conformance

@Suite struct SBMLTestFilesTests {
    @Test func parsesSettings() throws {
        let s = try SBMLTestSettings(parsing: """
        start: 0
        duration: 5
        steps: 50
        variables: S1, S2, k
        absolute: 1.000000e-007
        relative: 0.0001
        amount: S1, S2
        concentration:

        """)
        #expect(s == SBMLTestSettings(start: 0, duration: 5, steps: 50, variables: ["S1", "S2", "k"], absolute: 1e-7,
                                      relative: 1e-4, amount: ["S1", "S2"], concentration: []))
        #expect(s.outputTimes.count == 51)
        #expect(s.outputTimes[10] == 1)
        #expect(s.outputTimes.last == 5)
    }

    @Test func emptyStartMeansZeroAndOffsetsTimes() throws {
        let s = try SBMLTestSettings(parsing: "start:\nduration: 1\nsteps: 2\nvariables: x\nabsolute: 1e-9\nrelative: 1e-6\nconcentration: x")
        #expect(s.start == 0)
        #expect(s.concentration == ["x"])
        let shifted = try SBMLTestSettings(parsing: "start: 10\nduration: 1\nsteps: 4\nvariables: x\nabsolute: 0\nrelative: 0")
        #expect(shifted.outputTimes == [10, 10.25, 10.5, 10.75, 11])
    }

    @Test(arguments: [
        ("duration: 1\nsteps: 2\nvariables: x\nrelative: 1", "missing 'absolute'"),
        ("duration: 1\nsteps: 2.5\nvariables: x\nabsolute: 1\nrelative: 1", "'steps' must be a positive integer"),
        ("duration: x\nsteps: 2\nvariables: x\nabsolute: 1\nrelative: 1", "'duration' is 'x', not a number"),
        ("duration: 1\nsteps: 2\nvariables:\nabsolute: 1\nrelative: 1", "no 'variables'"),
    ])
    func rejectsBadSettings(text: String, message: String) {
        do {
            _ = try SBMLTestSettings(parsing: text)
            Issue.record("accepted \(text)")
        } catch { #expect("\(error)".contains(message), "\(error)") }
    }

    @Test func parsesResultsWithSpacesAndSpecialValues() throws {
        let r = try SBMLExpectedResults(parsing: "time, P, Q, R\n0,INF,-INF, NaN\n0.1,1.5e-005,2,3\n")
        #expect(r.columns == ["P", "Q", "R"])
        #expect(r.times == [0, 0.1])
        #expect(r.rows[0][0] == .infinity && r.rows[0][1] == -.infinity && r.rows[0][2].isNaN)
        #expect(r.rows[1] == [1.5e-5, 2, 3])
    }

    @Test(arguments: [
        ("", "empty file"),
        ("t,a\n0,1", "the header must be 'time,<ids>'"),
        ("time,a\n0,1,2", "line 2 has 3 fields, the header 2"),
        ("time,a\n0,abc", "line 2: 'abc' is not a number"),
    ])
    func rejectsBadResults(text: String, message: String) {
        do {
            _ = try SBMLExpectedResults(parsing: text)
            Issue.record("accepted \(text)")
        } catch { #expect("\(error)".contains(message), "\(error)") }
    }

    @Test func parsesTheModelDescriptionHeader() {
        let info = SBMLTestCaseInfo(parsing: """
        (*

        category:      Test
        synopsis:      Basic single forward reaction
        componentTags: Compartment, Species, comp:Submodel
        testTags:      Amount, fbc:NonStrict
        testType:      TimeCourse
        levels:        2.1, 3.2

        Note: something else
        *)
        testType: Ignored
        """)
        #expect(info == SBMLTestCaseInfo(testType: "TimeCourse", componentTags: ["Compartment", "Species", "comp:Submodel"],
                                         testTags: ["Amount", "fbc:NonStrict"], synopsis: "Basic single forward reaction"))
        #expect(info.packages == ["comp", "fbc"])
        #expect(SBMLTestCaseInfo(parsing: "testType:   FluxBalanceSteadyState").testType == "FluxBalanceSteadyState")
    }

    @Test func comparisonFollowsTheSuiteRule() {
        #expect(SBMLTestComparison.matches(expected: 1, got: 1.00009, absolute: 1e-7, relative: 1e-4))
        #expect(!SBMLTestComparison.matches(expected: 1, got: 1.00011, absolute: 1e-7, relative: 1e-4))
        #expect(SBMLTestComparison.matches(expected: 0, got: 9e-8, absolute: 1e-7, relative: 1e-4))
        #expect(!SBMLTestComparison.matches(expected: 0, got: -2e-7, absolute: 1e-7, relative: 1e-4))
        #expect(SBMLTestComparison.matches(expected: .nan, got: .nan, absolute: 1, relative: 1))
        #expect(!SBMLTestComparison.matches(expected: .nan, got: 0, absolute: 1, relative: 1))
        #expect(SBMLTestComparison.matches(expected: .infinity, got: .infinity, absolute: 0, relative: 0))
        #expect(!SBMLTestComparison.matches(expected: .infinity, got: -.infinity, absolute: 1, relative: 1))
        #expect(!SBMLTestComparison.matches(expected: 1, got: .nan, absolute: 1, relative: 1))
    }

    @Test func firstMismatchNamesVariableTimeAndValues() throws {
        let expected = SBMLExpectedResults(columns: ["B", "A"], times: [0, 1], rows: [[1, 2], [3, 4]])
        let m = try SBMLTestComparison.firstMismatch(variables: ["A", "B"], simulated: [[2, 1], [4, 3.5]], expected: expected,
                                                     absolute: 0.1, relative: 0)
        #expect(m?.description == "B at t=1.0: expected 3.0, got 3.5 (tolerance 0.1)")
        #expect(try SBMLTestComparison.firstMismatch(variables: ["A", "B"], simulated: [[2, 1], [4, 3]], expected: expected,
                                                     absolute: 0, relative: 0) == nil)
        #expect(throws: SBMLTestSuiteError.self) {
            try SBMLTestComparison.firstMismatch(variables: ["C"], simulated: [[0], [0]], expected: expected, absolute: 0, relative: 0)
        }
    }

    @Test func caseSelection() throws {
        let filter = try SBMLTestSuite.caseFilter(parsing: "1-3, 950")
        #expect(["00001", "00003", "00950"].allSatisfy(filter))
        #expect(!["00004", "00949", "abc"].contains(where: filter))
        #expect(throws: SBMLTestSuiteError.self) { _ = try SBMLTestSuite.caseFilter(parsing: "5-2") }
        #expect(throws: SBMLTestSuiteError.self) { _ = try SBMLTestSuite.caseFilter(parsing: "x") }
    }

    @Test func reportGivesPassRatesPerTag() {
        let summary = SBMLTestSuiteSummary(results: [
            SBMLTestCaseResult(id: "00001", outcome: .pass, componentTags: ["Species"], testTags: ["Amount"]),
            SBMLTestCaseResult(id: "00002", outcome: .fail("x at t=1: expected 1, got 2"), componentTags: ["Species"], testTags: []),
            SBMLTestCaseResult(id: "00003", outcome: .skip("uses SBML package(s) comp"), componentTags: ["comp:Submodel"], testTags: []),
        ])
        #expect(summary.closingLine == "1 passed, 1 failed, 1 skipped")
        #expect(summary.results.map(\.line) == ["00001 pass", "00002 fail x at t=1: expected 1, got 2", "00003 skip uses SBML package(s) comp"])
        let species = summary.tagStatistics.first { $0.tag == "Species" }
        #expect(species?.passRate == 0.5)
        #expect(summary.tagStatistics.first { $0.tag == "comp:Submodel" }?.passRate == nil)
        let markdown = summary.markdownReport()
        #expect(markdown.contains("| Species | component | 2 | 1 | 1 | 0 | 50.0% |"))
        #expect(markdown.contains("| 00002 | x at t=1: expected 1, got 2 | Species |"))
        #expect(summary.csvReport().contains("Species,component,2,1,1,0,0.5000\n"))
    }
}
