import Foundation
import ModelFormats
import Testing

@Suite("PEtab reader")
struct PEtabReaderTests {
    @Test("reads every table of the tiny problem")
    func readsTables() throws {
        let p = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write())
        #expect(p.conditions.map(\.id) == ["c0", "c1"])
        #expect(p.conditions[0].overrides.first?.value == nil)
        #expect(p.conditions[1].overrides.first?.value == .number(2))
        #expect(p.observables.map(\.transformation) == [.lin, .log10])
        #expect(p.observables.map(\.distribution) == [.normal, .laplace])
        #expect(p.measurements.count == 6)
        #expect(p.measurements[2].noiseParameters == [.parameter("sigmaA")])
        #expect(p.measurements[4].observableParameters == [.number(1.5)])
        #expect(p.measurements[3].line == 5)
        #expect(p.parameters.map(\.scale) == [.log10, .lin, .log10, .log, .lin, .lin])
        #expect(p.parameters.last?.estimate == false)
    }

    @Test("CRLF line ends are read like LF")
    func crlf() throws {
        let url = try TinyPEtabProblem.write(replacing: ["measurements.tsv": TinyPEtabProblem.measurements.replacingOccurrences(of: "\n", with: "\r\n")])
        let p = try PEtabReader.read(contentsOf: url)
        #expect(p.measurements.count == 6)
        #expect(p.measurements[0].value == 4.1)
    }

    struct ErrorCase: Sendable, CustomStringConvertible {
        var file: String
        var text: String
        var expected: String
        var description: String { expected }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(file: "measurements.tsv", text: TinyPEtabProblem.measurements.replacingOccurrences(of: "\t2.5\t", with: "\tlate\t"),
                  expected: "measurements.tsv:4: column 'time': 'late' is not a number"),
        ErrorCase(file: "measurements.tsv", text: TinyPEtabProblem.measurements.replacingOccurrences(of: "obsB\t\tc1", with: "obsC\t\tc1"),
                  expected: "measurements.tsv:7: column 'observableId': unknown observable 'obsC'"),
        ErrorCase(file: "measurements.tsv", text: "observableId\tsimulationConditionId\ttime\nobsA\tc0\t1\n",
                  expected: "measurements.tsv:1: column 'measurement': required column is missing"),
        ErrorCase(file: "parameters.tsv", text: TinyPEtabProblem.parameters.replacingOccurrences(of: "k\tlog10", with: "k\tlog2"),
                  expected: "parameters.tsv:2: column 'parameterScale': 'log2' is not lin, log or log10"),
        ErrorCase(file: "observables.tsv", text: TinyPEtabProblem.observables.replacingOccurrences(of: "A + offset", with: "A + * offset"),
                  expected: "observables.tsv:3: column 'observableFormula': cannot parse 'A + * offset'"),
        ErrorCase(file: "observables.tsv", text: TinyPEtabProblem.observables.replacingOccurrences(of: "laplace", with: "cauchy"),
                  expected: "observables.tsv:3: column 'noiseDistribution': 'cauchy' is not normal or laplace"),
        ErrorCase(file: "problem.yaml", text: TinyPEtabProblem.yaml.replacingOccurrences(of: "format_version: 1", with: "format_version: 2"),
                  expected: "problem.yaml: format_version '2' is not supported (PEtab v1 only)"),
        ErrorCase(file: "conditions.tsv", text: "conditionId\tA0\nc0\t1\nc0\t2\nc1\t3\n",
                  expected: "conditions.tsv:3: column 'conditionId': duplicate condition 'c0'"),
    ]

    @Test("errors name the file, line and column", arguments: errorCases)
    func errors(_ c: ErrorCase) throws {
        let url = try TinyPEtabProblem.write(replacing: [c.file: c.text])
        #expect {
            _ = try PEtabReader.read(contentsOf: url)
        } throws: { error in
            "\(error)".hasPrefix(c.expected)
        }
    }
}
