import Foundation
import Testing
@testable import Inference

/// An equal mixture of N(−4, 0.5²) and N(4, 0.5²) on [−10, 10]: the barrier between the modes is about
/// e⁻³² deep, so a random walk started in one mode stays there.
struct Bimodal: ObjectiveFunction {
    var parameterNames: [String] { ["x"] }
    var lowerBounds: [Double] { [-10] }
    var upperBounds: [Double] { [10] }
    func value(at x: [Double], gradient: UnsafeMutableBufferPointer<Double>?) -> Double {
        let a = -0.5 * pow((x[0] + 4) / 0.5, 2), b = -0.5 * pow((x[0] - 4) / 0.5, 2)
        let m = max(a, b)
        return -(m + log(0.5 * exp(a - m) + 0.5 * exp(b - m)))
    }
}

@Suite struct ParallelTemperingTests {
    let starts = [[-4.0], [-3.5], [-4.5], [-4.2]]

    @Test func adaptiveMetropolisAloneStaysInOneMode() throws {
        let run = try AdaptiveMetropolis(options: MCMCOptions(iterations: 4_000, burnIn: 1_000, seed: 2, threads: 2))
            .sample(Bimodal(), starts: starts)
        #expect(run.pooledDraws.allSatisfy { $0[0] < 0 })
    }

    @Test func temperingVisitsBothModesInProportion() throws {
        let run = try ParallelTempering(options: MCMCOptions(iterations: 20_000, burnIn: 4_000, seed: 2, threads: 4),
                                    inverseTemperatures: [1, 0.25, 0.0625, 0.015625])
            .sample(Bimodal(), starts: starts)
        let indicator = run.draws(parameter: 0).map { $0.map { $0 > 0 ? 1.0 : 0.0 } }
        let fraction = indicator.flatMap { $0 }.reduce(0, +) / Double(indicator.flatMap { $0 }.count)
        // Five Monte Carlo standard errors of the indicator's mean (its ESS from the same chains).
        let standardError = ChainDiagnostics.meanStandardError(indicator)
        #expect(abs(fraction - 0.5) <= 5 * standardError, "fraction \(fraction) ± \(standardError)")
        let d = run.diagnostics[0]
        #expect(abs(d.mean) <= 5 * d.meanStandardError, "mean \(d.mean) ± \(d.meanStandardError)")
        #expect(d.rankRHat < 1.05, "R-hat \(d.rankRHat)")
        for chain in run.chains {
            #expect(chain.swapRates.count == 3 && chain.swapRates.allSatisfy { $0 > 0.05 }, "\(chain.swapRates)")
        }
    }

    @Test func temperedChainsDoNotDependOnTheThreadCount() throws {
        let one = try ParallelTempering(options: MCMCOptions(iterations: 800, burnIn: 200, seed: 5, threads: 1))
            .sample(Bimodal(), starts: starts)
        let four = try ParallelTempering(options: MCMCOptions(iterations: 800, burnIn: 200, seed: 5, threads: 4))
            .sample(Bimodal(), starts: starts)
        #expect(one.chains == four.chains)
    }
}
