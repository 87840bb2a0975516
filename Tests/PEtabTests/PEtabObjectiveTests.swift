import Foundation
import Inference
import ModelFormats
import Simulation
import Testing

@Suite("PEtab objective")
struct PEtabObjectiveTests {
    static let rtol = 1e-10

    func objective() throws -> PEtabObjective {
        let problem = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write())
        return try PEtabObjective(problem, options: SolverOptions(relativeTolerance: Self.rtol, absoluteTolerance: 1e-14))
    }

    @Test("the nominal NLL equals the closed-form value")
    func nominalMatchesClosedForm() throws {
        let f = try objective()
        #expect(f.parameterNames == ["k", "A0", "scale", "sigmaA", "sigma"])
        let x = f.nominalPoint
        #expect(abs(x[0] - log10(0.5)) < 1e-15)
        let expected = TinyPEtabProblem.analyticNLL(k: 0.5, A0: 3, scale: 1.5, sigmaA: 0.2, sigma: 0.1)
        let value = f.value(at: x, gradient: nil)
        // The simulation's relative error is a small multiple of rtol; the NLL inherits it through O(10) terms.
        #expect(abs(value - expected) <= 1e3 * Self.rtol * abs(expected), "got \(value), expected \(expected)")
    }

    @Test("a parameter table gives a start point on the problem's scales, or an error naming the parameter")
    func startPointFromATable() throws {
        let f = try objective()
        let folder = try TinyPEtabProblem.write().deletingLastPathComponent()
        let own = try PEtabReader.readParameterTable(contentsOf: folder.appendingPathComponent("parameters.tsv"))
        #expect(try f.point(from: own, file: "parameters.tsv") == f.nominalPoint)
        // An earlier fit's table: other values, its own scale column (PEtab's nominalValue is always linear), any row order.
        let fitted = [PEtabParameter(id: "sigma", scale: .log10, lowerBound: 0.01, upperBound: 1, nominalValue: 0.25, estimate: true)]
            + own.filter { $0.id != "sigma" && $0.id != "k" }
            + [PEtabParameter(id: "k", scale: .lin, lowerBound: 0.01, upperBound: 10, nominalValue: 0.7, estimate: true)]
        let x = try f.point(from: fitted, file: "fit.tsv")
        #expect(x == [log10(0.7), 3, log10(1.5), log(0.2), 0.25])
        let missing = own.filter { $0.id != "scale" }
        #expect(throws: InferenceInputError(element: "fit.tsv: scale", reason: "no finite nominalValue for this estimated parameter")) {
            try f.point(from: missing, file: "fit.tsv")
        }
        var outside = own
        outside[0].nominalValue = 20
        #expect(throws: InferenceInputError(element: "fit.tsv: k", reason: "nominalValue 20.0 is outside the bounds [0.01, 10.0]")) {
            try f.point(from: outside, file: "fit.tsv")
        }
        var negative = own
        negative[0].nominalValue = -1
        #expect(throws: InferenceInputError(element: "fit.tsv: k", reason: "nominalValue -1.0 has no log10 value")) {
            try f.point(from: negative, file: "fit.tsv")
        }
    }

    @Test("bounds are on the parameter scale")
    func boundsOnScale() throws {
        let f = try objective()
        #expect(f.lowerBounds[0] == -2 && f.upperBounds[0] == 1)
        #expect(abs(f.lowerBounds[3] - log(0.01)) < 1e-15)
        #expect(f.lowerBounds[1] == 0.1)
    }

    @Test("the sensitivity gradient matches central differences of the closed form")
    func gradientMatchesFiniteDifferences() throws {
        let f = try objective()
        let x = [log10(0.7), 2.5, log10(1.2), log(0.3), 0.2]
        let (v, g) = f.valueAndGradient(at: x)
        func closed(_ x: [Double]) -> Double {
            TinyPEtabProblem.analyticNLL(k: pow(10, x[0]), A0: x[1], scale: pow(10, x[2]), sigmaA: exp(x[3]), sigma: x[4])
        }
        #expect(abs(v - closed(x)) <= 1e3 * Self.rtol * abs(v))
        for i in x.indices {
            let h = 1e-5
            var up = x, down = x
            up[i] += h
            down[i] -= h
            let fd = (closed(up) - closed(down)) / (2 * h)
            // Central differences are exact to O(h²·f''') ≈ 1e-9 here; the sensitivities to a multiple of rtol.
            #expect(abs(g[i] - fd) <= 1e-6 * max(1, abs(fd)), "parameter \(f.parameterNames[i]): \(g[i]) vs \(fd)")
        }
    }

    @Test("a simulation that cannot be computed gives an infinite objective, not a crash")
    func failureIsInfinite() throws {
        let f = try objective()
        // sigma = 0 makes every Laplace term infinite.
        #expect(f.value(at: [log10(0.5), 3, 0, log(0.2), 0], gradient: nil) == .infinity)
    }

    @Test("unknown symbols in formulas are named with file and line")
    func unknownSymbol() throws {
        let url = try TinyPEtabProblem.write(replacing: ["observables.tsv": """
            observableId\tobservableFormula\tnoiseFormula
            obsA\tA * nowhere\t1
            obsB\tA\t1

            """])
        let problem = try PEtabReader.read(contentsOf: url)
        #expect {
            try PEtabObjective(problem)
        } throws: { error in
            "\(error)" == "measurements.tsv:2: observable 'obsA': unknown symbol 'nowhere'"
        }
    }
}

@Suite("PEtab parameter table of a fit")
struct FittedParameterTableTests {
    @Test("the whole table is written with the estimates, fixed rows and priors, and reads back")
    func roundTrip() throws {
        let table = [
            PEtabParameter(id: "k", name: "rate", scale: .log10, lowerBound: 0.01, upperBound: 10, nominalValue: 0.5, estimate: true,
                           prior: PEtabPrior(kind: .parameterScaleNormal, parameters: (-0.3, 0.5))),
            PEtabParameter(id: "offset", scale: .lin, nominalValue: 0.5, estimate: false),
            PEtabParameter(id: "sigma", scale: .log, lowerBound: 0.01, upperBound: 1, nominalValue: 0.1, estimate: true),
        ]
        let text = try ParameterTable.tsv(table: table, estimates: [log10(2), log(0.25)])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fit-\(UUID().uuidString).tsv")
        try Data(text.utf8).write(to: url)
        let back = try PEtabReader.readParameterTable(contentsOf: url)
        var expected = table
        expected[0].nominalValue = 2
        expected[2].nominalValue = exp(log(0.25))
        #expect(back == expected)
        #expect(throws: InferenceInputError.self) { try ParameterTable.tsv(table: table, estimates: [0]) }
        // The problem's objective at the written table's values is the objective at the estimates.
        let problem = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write())
        let f = try PEtabObjective(problem, options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14))
        let x = [log10(0.7), 2.5, log10(1.2), log(0.3), 0.2]
        let refit = try PEtabReader.read(contentsOf: try TinyPEtabProblem.write(replacing: [
            "parameters.tsv": try ParameterTable.tsv(table: problem.parameters, estimates: x)]))
        #expect(refit.parameters.count == problem.parameters.count)
        let g = try PEtabObjective(refit, options: SolverOptions(relativeTolerance: 1e-10, absoluteTolerance: 1e-14))
        #expect(g.negativeLogLikelihood(at: g.nominalPoint) == f.negativeLogLikelihood(at: x))
    }
}
