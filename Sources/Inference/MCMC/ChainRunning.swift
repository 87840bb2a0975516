import Foundation

/// Runs `chain(c)` for every start in parallel and collects the chains with their diagnostics.
func runChains<O: ObjectiveFunction>(_ objective: O, starts: [[Double]], options: MCMCOptions,
                                     chain: (Int) -> MarkovChain) -> MCMCResult {
    let clock = ContinuousClock.now
    let chains = parallelMap(count: starts.count, threads: options.threads, chain)
    return MCMCResult(parameterNames: objective.parameterNames, chains: chains, options: options,
                      seconds: secondsSince(clock))
}

/// Checks the options, the bounds and that every start has one value per parameter.
func validateSampling<O: ObjectiveFunction>(_ objective: O, starts: [[Double]], options: MCMCOptions) throws {
    try options.validate()
    try objective.validateBounds()
    for (c, start) in starts.enumerated() {
        try require(start.count == objective.parameterCount, "start of chain \(c)",
                    "has \(start.count) values for \(objective.parameterCount) parameters")
    }
}

/// The log density (−objective) at a chain's start, or nil when it is infinite or outside the bounds
/// (the chain then fails without draws).
func startLogDensity<O: ObjectiveFunction>(_ objective: O, at start: [Double]) -> Double? {
    let lower = objective.lowerBounds, upper = objective.upperBounds
    guard start.count == lower.count, start.indices.allSatisfy({ start[$0] >= lower[$0] && start[$0] <= upper[$0] })
    else { return nil }
    let density = -objective.value(at: start, gradient: nil)
    return density.isFinite ? density : nil
}

extension MarkovChain {
    /// A chain whose start could not be used.
    static func failed(start: [Double]) -> MarkovChain {
        MarkovChain(start: start, draws: [], logDensities: [], acceptanceRate: 0, isFailed: true)
    }
}
