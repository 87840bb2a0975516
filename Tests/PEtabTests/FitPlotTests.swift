import Foundation
import Inference
import ModelFormats
import Simulation
import Testing

@Suite("PEtab fits vs data")
struct FitPlotTests {
    static let rtol = 1e-10

    /// The tiny problem with both observables normal (obsB log10-normal), so that the objective has residuals.
    func objective(conditions: String = TinyPEtabProblem.conditions, measurements: String = TinyPEtabProblem.measurements) throws -> PEtabObjective {
        let observables = TinyPEtabProblem.observables.replacingOccurrences(of: "laplace", with: "normal")
        let url = try TinyPEtabProblem.write(replacing: ["observables.tsv": observables, "conditions.tsv": conditions,
                                                         "measurements.tsv": measurements])
        return try PEtabObjective(try PEtabReader.read(contentsOf: url),
                                  options: SolverOptions(relativeTolerance: Self.rtol, absoluteTolerance: 1e-14))
    }

    /// (k, A0, scale, sigmaA, sigma) = (0.7, 2.5, 1.2, 0.3, 0.2) on their scales (log10, lin, log10, log, lin).
    let x = [log10(0.7), 2.5, log10(1.2), log(0.3), 0.2]

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fits-\(UUID().uuidString)")
    }

    @Test("rows are the objective's simulation: its residuals exactly, and the closed form to the tolerance")
    func rowsAreTheObjectivesSimulation() throws {
        let f = try objective()
        let comparison = FitComparison(f, at: x)
        let r = try #require(f.residuals(at: x, jacobian: nil))
        #expect(comparison.rows.map(\.residual) == r)
        // A(t) = A0·exp(−k t); obsA = scale·A (c0) or 1.5·A with A0 = 2 (c1); obsB = A + 0.5
        let a = { (a0: Double, t: Double) in a0 * exp(-0.7 * t) }
        let expected = [1.2 * a(2.5, 0), 1.2 * a(2.5, 1), 1.2 * a(2.5, 2.5), a(2.5, 1) + 0.5, 1.5 * a(2, 0.5), a(2, 2) + 0.5]
        for (row, h) in zip(comparison.rows, expected) {
            // the integrator's global error stays within a small multiple of rtol on this decay
            #expect(abs(row.simulation - h) <= 100 * Self.rtol * abs(h), "\(row.observable) at \(row.time): \(row.simulation) vs \(h)")
        }
        #expect(comparison.rows.map(\.sigma) == [0.3, 0.3, 0.3, 0.2, 0.3, 0.2])
        #expect(comparison.rows.map(\.condition) == ["c0", "c0", "c0", "c0", "c1", "c1"])
    }

    @Test("one panel per condition × observable, whose curve passes through the simulated measurements")
    func panelsAndCurves() throws {
        let comparison = FitComparison(try objective(), at: x, gridPoints: 51)
        #expect(comparison.panels.map { "\($0.condition)/\($0.observable)" } == ["c0/obsA", "c0/obsB", "c1/obsA", "c1/obsB"])
        #expect(comparison.panels.map(\.rows) == [[0, 1, 2], [3], [4], [5]])
        #expect(comparison.panels.map(\.transformation) == [.lin, .log10, .lin, .log10])
        for panel in comparison.panels {
            let curve = try #require(panel.curves.count == 1 ? panel.curves[0] : nil)
            #expect(panel.times.first == 0 && panel.times.count >= 51 && curve.values.count == panel.times.count)
            for k in panel.rows {
                let row = comparison.rows[k]
                let i = try #require(panel.times.firstIndex(of: row.time))
                // a second run on another output grid: equal to the integration tolerance
                #expect(abs(curve.values[i] - row.simulation) <= 100 * Self.rtol * abs(row.simulation))
            }
        }
        #expect(FitPlot.plot(comparison.panels[0], of: comparison).yAxis.scale == .linear)
        #expect(FitPlot.plot(comparison.panels[1], of: comparison).yAxis.scale == .log10)
    }

    @Test("fits.tsv and one SVG per condition × observable, with a point and an error bar per measurement")
    func writtenFiles() throws {
        let comparison = FitComparison(try objective(), at: x)
        let directory = temporaryDirectory()
        let files = try FitPlot.write(comparison, to: directory)
        #expect(files.map(\.lastPathComponent) == ["fits.tsv", "fit-c0-obsA.svg", "fit-c0-obsB.svg", "fit-c1-obsA.svg", "fit-c1-obsB.svg"])
        for (name, points) in [("fit-c0-obsA.svg", 3), ("fit-c0-obsB.svg", 1), ("fit-c1-obsA.svg", 1), ("fit-c1-obsB.svg", 1)] {
            let svg = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(count("<circle", in: svg) == points + 1, "\(name): one circle per measurement and one in the legend")
            #expect(count("stroke-width=\"1.2\"", in: svg) == points, "\(name): one error bar per measurement")
            #expect(svg.contains("measurements ± σ (\(points))") && svg.contains("condition c"))
        }
        let lines = try String(contentsOf: directory.appendingPathComponent("fits.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first == ["observable", "condition", "time", "measurement", "simulation", "residual"])
        #expect(lines.count == 7)
        for (line, row) in zip(lines.dropFirst(), comparison.rows) {
            #expect(line[0] == row.observable && line[1] == row.condition && Double(line[2]) == row.time)
            #expect(Double(line[3]) == row.measurement && Double(line[4]) == row.simulation && Double(line[5]) == row.residual)
        }
    }

    @Test("one condition: files named by observable only")
    func singleCondition() throws {
        let measurements = TinyPEtabProblem.measurements.split(separator: "\n").filter { !$0.contains("\tc1\t") }.joined(separator: "\n") + "\n"
        let files = try FitPlot.write(FitComparison(try objective(measurements: measurements), at: x), to: temporaryDirectory())
        #expect(files.map(\.lastPathComponent) == ["fits.tsv", "fit-obsA.svg", "fit-obsB.svg"])
    }

    @Test("a condition without measurements, a steady-state measurement and a failed simulation do not crash")
    func badCases() throws {
        let conditions = TinyPEtabProblem.conditions + "c2\tunused\t5\n"
        let measurements = TinyPEtabProblem.measurements.trimmingCharacters(in: .newlines)
            + "\nobsA\t\tc0\t0.01\tinf\tscale\t0.3\n"
        let f = try objective(conditions: conditions, measurements: measurements)
        let comparison = FitComparison(f, at: x)
        #expect(comparison.panels.count == 4 && !comparison.panels.contains { $0.condition == "c2" })
        #expect(comparison.rows.count == 7 && comparison.rows[6].time == .infinity && abs(comparison.rows[6].simulation) < 1e-6)
        let svg = FitPlot.plot(comparison.panels[0], of: comparison).render()
        #expect(count("<circle", in: svg) == 3 + 1 && svg.contains("1 at steady state, not shown"))

        // a step limit too small for any run: every simulation fails, so no values and no curves, but still files
        let strangled = try PEtabObjective(f.problem, options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14, maxSteps: 1))
        let failed = FitComparison(strangled, at: x)
        #expect(failed.rows.allSatisfy { $0.simulation.isNaN } && failed.panels.allSatisfy(\.curves.isEmpty))
        let files = try FitPlot.write(failed, to: temporaryDirectory())
        #expect(files.count == 5)
        let failedSVG = try String(contentsOf: files[1], encoding: .utf8)
        #expect(count("<circle", in: failedSVG) == 3 + 1)
    }
}
