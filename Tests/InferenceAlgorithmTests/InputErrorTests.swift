import Testing
@testable import Inference

/// Bad settings and inputs are typed errors naming the option or element, never traps.
@Suite struct InputErrorTests {
    let sphere = ShiftedSphere(centre: [0, 0], lower: [-1, -1], upper: [1, 1])

    func element(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as InferenceInputError {
            return error.element
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func multiStartSettingsAndBounds() {
        #expect(element { _ = try MultiStart(starts: -1, seed: 1).run(sphere, optimiser: ProjectedQuasiNewton()) }
                == "MultiStart.starts")
        let badTolerance = ProjectedQuasiNewton(options: OptimisationOptions(gradientTolerance: -1))
        #expect(element { _ = try MultiStart(starts: 2, seed: 1).run(sphere, optimiser: badTolerance) }
                == "OptimisationOptions.gradientTolerance")
        let unbounded = ShiftedSphere(centre: [0, 0], lower: [-1, -.infinity], upper: [1, 1])
        #expect(element { _ = try MultiStart(starts: 2, seed: 1).run(unbounded, optimiser: ProjectedQuasiNewton()) }
                == "bounds of c1")
        let reversed = ShiftedSphere(centre: [0, 0], lower: [2, -1], upper: [1, 1])
        #expect(element { _ = try MultiStart(starts: 2, seed: 1).run(reversed, optimiser: ProjectedQuasiNewton()) }
                == "bounds of c0")
    }

    @Test func profileSettingsAndOptimum() {
        let profiler = ProfileLikelihood(options: ProfileOptions(confidenceLevel: 1.5), threads: 1)
        #expect(element { _ = try profiler.profileAll(sphere, optimum: [0, 0], optimiser: ProjectedQuasiNewton()) }
                == "ProfileOptions.confidenceLevel")
        #expect(element { _ = try ProfileLikelihood().profileAll(sphere, optimum: [0, 3], optimiser: ProjectedQuasiNewton()) }
                == "optimum, c1")
        #expect(element { _ = try ProfileLikelihood().profile(sphere, parameter: 2, optimum: [0, 0], optimumValue: 0,
                                                              optimiser: ProjectedQuasiNewton()) }
                == "profiled parameter index")
        #expect(element { _ = try FixedParameterObjective(sphere, fixing: -1, at: 0) } == "fixed parameter index")
    }

    @Test func samplerSettingsAndStarts() {
        let shortRun = MCMCOptions(iterations: 10, burnIn: 10)
        #expect(element { _ = try AdaptiveMetropolis(options: shortRun).sample(sphere, starts: [[0, 0]]) }
                == "MCMCOptions.iterations")
        #expect(element { _ = try AdaptiveMetropolis(options: MCMCOptions(iterations: 20, burnIn: 5, thinning: 0))
                .sample(sphere, starts: [[0, 0]]) } == "MCMCOptions.thinning")
        #expect(element { _ = try AdaptiveMetropolis().sample(sphere, starts: [[0, 0], [0]]) } == "start of chain 1")
        #expect(element { _ = try ParallelTempering(inverseTemperatures: [1, 2]).sample(sphere, starts: [[0, 0]]) }
                == "ParallelTempering.inverseTemperatures")
    }

    @Test func parameterTableLengths() {
        #expect(element { _ = try ParameterTable.tsv(names: ["a", "b"], estimates: [1], lowerBounds: [0, 0],
                                                     upperBounds: [1, 1]) } == "parameter table")
    }

    @Test func messagesNameTheElementAndTheValue() {
        let error = InferenceInputError(element: "MCMCOptions.thinning", reason: "must be ≥ 1, got 0")
        #expect(error.description == "MCMCOptions.thinning: must be ≥ 1, got 0")
    }
}
