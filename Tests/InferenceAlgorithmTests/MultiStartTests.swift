import Testing
@testable import Inference

@Suite struct MultiStartTests {
    @Test func rosenbrock10DBestStartReachesTheGlobalMinimum() throws {
        let fits = try MultiStart(starts: 20, seed: 11).run(Rosenbrock(dimension: 10),
                                                        optimiser: TrustRegionLeastSquares(options: strict))
        let best = try #require(fits.best)
        let bound = distanceBound(dimension: 10, smallestEigenvalue: 0.49875174957684837)
        for v in best.result.x { #expect(abs(v - 1) <= bound) }
        #expect(fits.waterfall == fits.waterfall.sorted())
        let stats = fits.statistics()
        #expect(stats.starts == 20 && stats.failed == 0)
        #expect(stats.converged >= 1 && stats.converged <= 20)
        #expect(stats.fractionConverged == Double(stats.converged) / 20)
        #expect(stats.secondsPerConvergedStart.isFinite)
    }

    @Test func resultsDoNotDependOnTheThreadCount() throws {
        let problem = Rosenbrock(dimension: 4)
        let optimiser = ProjectedQuasiNewton()
        let one = try MultiStart(starts: 12, seed: 5, threads: 1).run(problem, optimiser: optimiser)
        let four = try MultiStart(starts: 12, seed: 5, threads: 4).run(problem, optimiser: optimiser)
        #expect(one.runs.map(\.index) == four.runs.map(\.index))
        for (a, b) in zip(one.runs, four.runs) {
            #expect(a.result.x == b.result.x && a.result.value == b.result.value)
            #expect(a.result.start == b.result.start && a.result.iterations == b.result.iterations)
        }
        let otherSeed = try MultiStart(starts: 12, seed: 6, threads: 4).run(problem, optimiser: optimiser)
        #expect(otherSeed.runs.map(\.result.start) != four.runs.map(\.result.start))
    }

    @Test func startsAreALatinHypercubeInsideTheBounds() throws {
        let problem = ShiftedSphere(centre: [0, 0], lower: [-1, 10], upper: [3, 20])
        let points = MultiStart(starts: 8, seed: 2).startPoints(for: problem)
        for d in 0..<2 {
            let strata = points.map { Int((($0[d] - problem.lower[d]) / (problem.upper[d] - problem.lower[d])) * 8) }
            #expect(strata.sorted() == Array(0..<8))
        }
    }

    @Test func infeasibleStartsAreResampledOrRecordedAsFailed() throws {
        // Infinite where x + y > 0: about half the unit-square design lies there.
        let problem = ShiftedSphere(centre: [-0.5, -0.25], lower: [-1, -1], upper: [1, 1], feasibleSum: 0)
        let design = MultiStart(starts: 16, seed: 3).startPoints(for: problem)
        let infeasible = design.filter { $0[0] + $0[1] > 0 }.count
        #expect(infeasible > 0)

        let noRedraws = try MultiStart(starts: 16, seed: 3, maxResamples: 0).run(problem, optimiser: TrustRegionLeastSquares())
        #expect(noRedraws.runs.filter(\.isFailed).count == infeasible)
        let failedLast = noRedraws.runs.suffix(infeasible).allSatisfy { $0.isFailed }
        #expect(failedLast)
        #expect(noRedraws.statistics().failed == infeasible)

        let redrawn = try MultiStart(starts: 16, seed: 3, maxResamples: 20).run(problem, optimiser: TrustRegionLeastSquares())
        let noneFailed = redrawn.runs.allSatisfy { !$0.isFailed }
        #expect(noneFailed)
        #expect(redrawn.runs.reduce(0) { $0 + $1.resamples } >= infeasible)
        for run in redrawn.runs {
            #expect(abs(run.result.x[0] + 0.5) <= 1e-6 && abs(run.result.x[1] + 0.25) <= 1e-6)
        }
        #expect(redrawn.statistics().converged == 16)
    }

    @Test func everyStartFailingIsAResultNotACrash() throws {
        let problem = ShiftedSphere(centre: [0, 0], lower: [1, 1], upper: [2, 2], feasibleSum: 0)
        let fits = try MultiStart(starts: 4, seed: 1, maxResamples: 2).run(problem, optimiser: ProjectedQuasiNewton())
        #expect(fits.best == nil)
        let stats = fits.statistics()
        #expect(stats.failed == 4 && stats.converged == 0 && stats.secondsPerConvergedStart == .infinity)
    }

    @Test func selectedStartsAreExactlyThoseOfTheWholeRun() throws {
        let problem = Rosenbrock(dimension: 4)
        let optimiser = TrustRegionLeastSquares()
        let whole = try MultiStart(starts: 10, seed: 4, threads: 2).run(problem, optimiser: optimiser)
        var parts: [StartRun] = []
        for k in 0..<3 {
            let shard = try MultiStart(starts: 10, seed: 4, threads: 2, selection: MultiStart.shard(k, of: 3, starts: 10))
                .run(problem, optimiser: optimiser)
            #expect(shard.runs.allSatisfy { $0.index % 3 == k })
            parts += shard.runs
        }
        #expect(parts.map(\.index).sorted() == Array(0..<10))
        for run in whole.runs {
            let part = try #require(parts.first { $0.index == run.index })
            #expect(part.result.start == run.result.start && part.result.x == run.result.x)
            #expect(part.result.value == run.result.value && part.result.iterations == run.result.iterations)
        }
        let resumed = try MultiStart(starts: 10, seed: 4, selection: [9, 2]).run(problem, optimiser: optimiser)
        #expect(Set(resumed.runs.map(\.index)) == [2, 9])
        for run in resumed.runs { #expect(run.result.x == whole.runs.first { $0.index == run.index }?.result.x) }
        for bad in [[10], [1, 1], [-1]] {
            #expect(throws: InferenceInputError.self) {
                try MultiStart(starts: 10, seed: 4, selection: bad).run(problem, optimiser: optimiser)
            }
        }
    }

    @Test func restartsResumeStartsThatStoppedEarly() throws {
        // Five iterations per optimisation stop every start on Rosenbrock's valley; restarting from the end point
        // continues until a restart gains no more than the restart tolerance.
        let problem = Rosenbrock(dimension: 4)
        let short = TrustRegionLeastSquares(options: OptimisationOptions(maxIterations: 5))
        let plain = try MultiStart(starts: 6, seed: 8, threads: 2).run(problem, optimiser: short)
        #expect(plain.runs.allSatisfy { $0.result.exit == .maxIterations })
        let tolerance = 1e-3
        let restarted = try MultiStart(starts: 6, seed: 8, threads: 2, restarts: 200, restartTolerance: tolerance)
            .run(problem, optimiser: short)
        for run in restarted.runs {
            let before = try #require(plain.runs.first { $0.index == run.index })
            #expect(run.result.start == before.result.start && run.result.startValue == before.result.startValue)
            #expect(run.result.value <= before.result.value)
            #expect(run.result.iterations > before.result.iterations)
        }
        #expect(try #require(restarted.best).result.value <= tolerance)
        let none = try MultiStart(starts: 6, seed: 8, threads: 2, restarts: 0).run(problem, optimiser: short)
        #expect(none.runs.map(\.result.x) == plain.runs.map(\.result.x))
        #expect(none.runs.map(\.result.iterations) == plain.runs.map(\.result.iterations))
    }

    @Test func givenStartsFollowTheDesignAndAreOptimisedAsGiven() throws {
        let problem = ShiftedSphere(centre: [-0.5, -0.25], lower: [-1, -1], upper: [1, 1], feasibleSum: 0)
        let given = [[-0.9, -0.8], [0.6, 0.7]]   // the second is infeasible (x + y > 0): failed, not redrawn
        let fits = try MultiStart(starts: 4, seed: 3, maxResamples: 20, givenStarts: given)
            .run(problem, optimiser: TrustRegionLeastSquares())
        #expect(Set(fits.runs.map(\.index)) == Set(0..<6))
        let first = try #require(fits.runs.first { $0.index == 4 })
        #expect(first.result.start == given[0] && first.resamples == 0)
        #expect(abs(first.result.x[0] + 0.5) <= 1e-6 && abs(first.result.x[1] + 0.25) <= 1e-6)
        let second = try #require(fits.runs.first { $0.index == 5 })
        #expect(second.isFailed && second.resamples == 0)
        // The design's starts are those of a run without given starts; a selection leaves the given ones in.
        let design = try MultiStart(starts: 4, seed: 3, maxResamples: 20).run(problem, optimiser: TrustRegionLeastSquares())
        for run in design.runs { #expect(fits.runs.first { $0.index == run.index }?.result.x == run.result.x) }
        let only = try MultiStart(starts: 0, seed: 3, givenStarts: [given[0]]).run(problem, optimiser: TrustRegionLeastSquares())
        #expect(only.runs.map(\.index) == [0] && only.runs[0].result.x == first.result.x)
        let selected = try MultiStart(starts: 4, seed: 3, selection: [1], givenStarts: given).run(problem, optimiser: TrustRegionLeastSquares())
        #expect(Set(selected.runs.map(\.index)) == [1, 4, 5])
        for bad in [[[0.0]], [[2.0, 0]], [[.nan, 0]]] {
            #expect(throws: InferenceInputError.self) {
                try MultiStart(starts: 1, seed: 3, givenStarts: bad).run(problem, optimiser: TrustRegionLeastSquares())
            }
        }
    }

    @Test func startListsParseToIndicesOrNameTheBadItem() throws {
        #expect(try MultiStart.selection(parsing: "76-79,4,13", starts: 100) == [76, 77, 78, 79, 4, 13])
        #expect(try MultiStart.selection(parsing: "0", starts: 1) == [0])
        for bad in ["5-3", "100", "-1", "1,,2", "a", "1-2-3", "3,1-4", ""] {
            #expect(throws: InferenceInputError.self, "\(bad)") { try MultiStart.selection(parsing: bad, starts: 100) }
        }
    }
}
