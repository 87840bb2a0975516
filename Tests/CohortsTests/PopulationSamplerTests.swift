import Testing
@testable import Cohorts
import ModelIR
import Sampling

@Suite("Population sampler and selection")
struct PopulationSamplerTests {
    func sampler(correlation: Double = 0.6) throws -> PopulationSampler {
        let spec = PopulationSpec(
            parameters: [.init(id: "k", distribution: try PopulationDistribution(.logNormal(median: 1, cv: 0.3))),
                         .init(id: "v", distribution: try PopulationDistribution(.normal(mean: 10, sd: 2)))],
            correlations: [.init(first: "k", second: "v", value: correlation)],
            covariates: [.init(name: "weight", kind: .continuous(try PopulationDistribution(.normal(mean: 70, sd: 10)))),
                         .init(name: "sex", kind: .binary(probability: 0.5, level1: "female", level0: "male"))],
            effects: [.init(parameter: "cl", formula: try ExpressionParser.parse("base_cl * (weight/70)^0.75 * (1 - 0.1*sex)"))])
        return try PopulationSampler(spec, inputIds: ["k", "v", "cl", "base_cl"], defaultInputs: [1, 10, 0, 5])
    }

    @Test func drawsDependOnlyOnTheKey() throws {
        let s = try sampler()
        #expect(s.draw(seed: 7, index: 41) == s.draw(seed: 7, index: 41))
        #expect(s.draw(seed: 7, index: 41) != s.draw(seed: 7, index: 42))
        #expect(s.draw(seed: 7, index: 41) != s.draw(seed: 7, index: 41, purpose: "population#1"))
        #expect(s.parameterIds == ["k", "v", "cl"])
    }

    @Test func covariateEffectFollowsItsFormula() throws {
        let s = try sampler()
        for i in 0..<50 {
            let p = s.draw(seed: 3, index: i)
            let expected = 5 * pow(p.covariates[0] / 70, 0.75) * (1 - 0.1 * p.covariates[1])
            #expect(abs(p.parameters[2] - expected) <= 1e-12 * expected)
        }
    }

    @Test func copulaGivesTheRequestedCorrelationOfTheNormalScores() throws {
        let s = try sampler(correlation: 0.6)
        let n = 20_000
        var zk: [Double] = [], zv: [Double] = []
        for i in 0..<n {
            let p = s.draw(seed: 11, index: i)
            zk.append(log(p.parameters[0]))
            zv.append(p.parameters[1])
        }
        func corr(_ a: [Double], _ b: [Double]) -> Double {
            let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
            var sab = 0.0, saa = 0.0, sbb = 0.0
            for i in a.indices { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb) }
            return sab / (saa * sbb).squareRoot()
        }
        // the sample correlation's standard error is about (1 - 0.36)/sqrt(n) = 0.0045; allow 5 of them
        #expect(abs(corr(zk, zv) - 0.6) < 5 * 0.64 / Double(n).squareRoot())
    }

    @Test func unknownSymbolInAnEffectIsNamed() throws {
        let spec = PopulationSpec(effects: [.init(parameter: "cl", formula: try ExpressionParser.parse("2 * hieght"))])
        #expect(throws: CohortError.unknownSymbol(id: "hieght", usedIn: "the formula for cl")) {
            try PopulationSampler(spec, inputIds: ["cl"], defaultInputs: [1])
        }
    }

    /// Allen et al. selection: plausible outputs uniform on [0, 10], target normal(4, 1). The accepted
    /// sample must fit the target far better than the plausible one (KS distance).
    @Test func selectionMatchesTheTarget() throws {
        let target = try PopulationDistribution(.normal(mean: 4, sd: 1))
        var rng = RandomStream(seed: 5, index: 0, purpose: "test")
        let pilot = (0..<4000).map { _ in [10 * rng.nextUniform()] }
        let selection = try PopulationSelection(targets: [target], pilot: pilot)
        var accepted: [Double] = [], plausible: [Double] = []
        for i in 0..<40_000 {
            var r = RandomStream(seed: 9, index: i, purpose: "candidate")
            let x = 10 * r.nextUniform()
            plausible.append(x)
            if r.nextUniform() < selection.acceptanceProbability([x]) { accepted.append(x) }
        }
        let before = DistributionFit(sample: plausible, target: target), after = DistributionFit(sample: accepted, target: target)
        #expect(before.ksDistance > 0.2)
        #expect(after.ksDistance < 0.05, "KS distance after selection \(after.ksDistance)")
        // acceptance rate is about 1 / (s · 10 · max(t)) for a flat plausible density: 0.25 ± histogram noise
        let rate = Double(accepted.count) / 40_000
        #expect(rate > 0.15 && rate < 0.3, "acceptance rate \(rate)")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
