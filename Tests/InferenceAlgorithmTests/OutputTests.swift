import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Inference

@Suite struct OutputWriterTests {
    let problem = ShiftedSphere(centre: [0.25, -1], lower: [-1, -2], upper: [1, 2], feasibleSum: 0.5)
    var fits: MultiStartResult { get throws { try MultiStart(starts: 10, seed: 9, maxResamples: 0).run(problem, optimiser: TrustRegionLeastSquares()) } }

    @Test func parameterTableIsPEtabOnTheLinearScale() throws {
        let text = try ParameterTable.tsv(names: ["k", "a", "b"], estimates: [0, 2, -1], lowerBounds: [-1, -3, -5],
                                      upperBounds: [1, 3, 5], scales: [.log10, .lin, .log])
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines[0] == ["parameterId", "parameterScale", "lowerBound", "upperBound", "nominalValue", "estimate"])
        #expect(lines[1] == ["k", "log10", "0.1", "10.0", "1.0", "1"])
        #expect(lines[2] == ["a", "lin", "-3.0", "3.0", "2.0", "1"])
        #expect(lines[3][1] == "log" && abs(Double(lines[3][4])! - exp(-1)) <= 1e-16)
        let result = try fits
        let best = try #require(try ParameterTable.tsv(best: result, objective: problem))
        #expect(best.split(separator: "\n").count == 3)
    }

    @Test func waterfallIsWellFormedSVGWithOnePointPerFinishedStart() throws {
        let result = try fits
        let svg = WaterfallPlot.svg(result, title: "fit <test> & more")
        let document = try XMLDocument(data: Data(svg.utf8))
        #expect(document.rootElement()?.name == "svg")
        // Markers inside the clipped plot area (the legend has its own).
        let circles = try document.nodes(forXPath: "//*[local-name()='g' and @clip-path]/*[local-name()='circle']")
        #expect(circles.count == result.runs.filter { !$0.isFailed }.count)
        #expect(svg.contains("fit &lt;test&gt; &amp; more"))
        let stats = result.statistics()
        #expect(stats.failed > 0 && svg.contains("\(stats.failed) failed, not shown"))
        #expect(svg.contains("within 0.1 of the best (\(stats.converged) of 10)"))
    }

    @Test func profilePlotMarksTheThresholdAndTheBounds() throws {
        let line = Quadratic(mean: [0], precision: [2], lower: [-10], upper: [10])
        let profile = try ProfileLikelihood(threads: 1).profile(line, parameter: 0, optimum: [0], optimumValue: 0,
                                                            optimiser: ProjectedQuasiNewton())
        let svg = ProfilePlot.svg(profile)
        let document = try XMLDocument(data: Data(svg.utf8))
        let markers = try document.nodes(forXPath: "//*[local-name()='g' and @clip-path]/*[local-name()='circle']")
        #expect(markers.count == profile.points.count)
        #expect(svg.contains("threshold 1.921") && svg.contains("Profile of q0"))
    }

    @Test func convergenceReportRoundTripsThroughJSON() throws {
        let result = try fits
        let report = ConvergenceReport(result, provenance: ["program": "twin test", "modelHash": "abc"])
        let data = try report.json()
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let statistics = object["statistics"] as! [String: Any]
        #expect(statistics["starts"] as? Int == 10)
        #expect((object["starts"] as! [Any]).count == 10)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity",
                                                                        negativeInfinity: "-Infinity", nan: "NaN")
        let decoded = try decoder.decode(ConvergenceReport.self, from: data)
        #expect(decoded.statistics.converged == report.statistics.converged)
        #expect(decoded.provenance["modelHash"] == "abc" && decoded.statistics.seed == 9)
        #expect(decoded.starts.map(\.index) == result.runs.map(\.index))
    }

    @Test func uncertaintyTablesHaveOneLinePerPointAndDraw() throws {
        let quadratic = Quadratic(mean: [0, 1], precision: [1, 0, 0, 4], lower: [-5, -5], upper: [5, 5])
        let profiles = try ProfileLikelihood(threads: 1).profileAll(quadratic, optimum: [0, 1], optimiser: ProjectedQuasiNewton())
        let points = profiles.reduce(0) { $0 + $1.points.count }
        #expect(UncertaintyTables.profilesTSV(profiles).split(separator: "\n").count == points + 1)
        let intervals = UncertaintyTables.intervalsTSV(profiles).split(separator: "\n")
        #expect(intervals.count == 3 && intervals[1].hasPrefix("q0\t0.0\t-1.9"))
        let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: 300, burnIn: 100, seed: 1, threads: 1))
            .sample(quadratic, starts: [[0, 1], [1, 1]])
        let samples = UncertaintyTables.samplesTSV(run).split(separator: "\n")
        #expect(samples.count == 401 && samples[0] == "chain\tdraw\tlogDensity\tq0\tq1")
    }

    @Test func fitOutputsWritesTheThreeFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fit-outputs-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try FitOutputs.write(try fits, objective: problem, to: directory)
        #expect(files.map(\.lastPathComponent) == ["parameters.tsv", "waterfall.svg", "convergence.json"])
        let table = try String(contentsOf: files[0], encoding: .utf8)
        #expect(table.hasPrefix("parameterId\tparameterScale"))
    }
}
