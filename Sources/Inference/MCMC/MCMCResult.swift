/// One Markov chain's kept draws (after burn-in and thinning).
public struct MarkovChain: Sendable, Equatable, Codable {
    public var start: [Double]
    /// Draws row-major: draw k is `draws[k·d ..< (k+1)·d]` for d parameters.
    public var draws: [Double]
    /// log density (−objective) at each kept draw.
    public var logDensities: [Double]
    /// Accepted proposals / iterations, burn-in included.
    public var acceptanceRate: Double
    /// The objective was infinite (or the point outside the bounds) at the start: no draws.
    public var isFailed: Bool
    /// Parallel tempering only: for each neighbouring pair of temperatures (coldest first), the fraction of
    /// iterations in which their states were swapped. Empty for plain adaptive Metropolis.
    public var swapRates: [Double]

    public init(start: [Double], draws: [Double], logDensities: [Double], acceptanceRate: Double, isFailed: Bool,
                swapRates: [Double] = []) {
        self.start = start
        self.draws = draws
        self.logDensities = logDensities
        self.acceptanceRate = acceptanceRate
        self.isFailed = isFailed
        self.swapRates = swapRates
    }

    public var count: Int { logDensities.count }
}

/// Per-parameter convergence diagnostics over all chains that did not fail.
public struct ParameterDiagnostics: Sendable, Equatable, Codable {
    public var parameterName: String
    public var mean: Double
    public var standardDeviation: Double
    /// Bulk effective sample size (rank-normalised, Geyer's initial monotone sequence).
    public var bulkEffectiveSampleSize: Double
    /// Rank-normalised split R̂ (max of bulk and folded).
    public var rankRHat: Double
    /// Monte Carlo standard error of `mean`.
    public var meanStandardError: Double
}

/// The outcome of an MCMC run: chains, and diagnostics for every parameter.
public struct MCMCResult: Sendable, Equatable, Codable {
    public var parameterNames: [String]
    public var chains: [MarkovChain]
    public var options: MCMCOptions
    public var seconds: Double
    public var diagnostics: [ParameterDiagnostics]

    public init(parameterNames: [String], chains: [MarkovChain], options: MCMCOptions, seconds: Double) {
        self.parameterNames = parameterNames
        self.chains = chains
        self.options = options
        self.seconds = seconds
        diagnostics = []
        diagnostics = parameterNames.indices.map { p in
            let perChain = self.draws(parameter: p)
            let all = perChain.flatMap { $0 }
            let mean = all.reduce(0, +) / Double(all.count)
            let sd = (all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)).squareRoot()
            return ParameterDiagnostics(parameterName: parameterNames[p], mean: mean, standardDeviation: sd,
                                        bulkEffectiveSampleSize: ChainDiagnostics.bulkEffectiveSampleSize(perChain),
                                        rankRHat: ChainDiagnostics.rankRHat(perChain),
                                        meanStandardError: ChainDiagnostics.meanStandardError(perChain))
        }
    }

    /// Draws of parameter p, one array per chain that did not fail.
    public func draws(parameter p: Int) -> [[Double]] {
        let d = parameterNames.count
        return chains.filter { !$0.isFailed }.map { chain in (0..<chain.count).map { chain.draws[$0 * d + p] } }
    }

    /// Every kept draw of every chain that did not fail, as points.
    public var pooledDraws: [[Double]] {
        let d = parameterNames.count
        return chains.filter { !$0.isFailed }.flatMap { chain in
            (0..<chain.count).map { Array(chain.draws[($0 * d)..<(($0 + 1) * d)]) }
        }
    }
}
