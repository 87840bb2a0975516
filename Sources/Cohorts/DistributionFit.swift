/// How well a sample matches a target distribution: the Kolmogorov–Smirnov distance and a quantile table.
public struct DistributionFit: Sendable, Equatable, Codable {
    /// Number of finite values compared.
    public let count: Int
    /// sup |F_n(x) − F(x)| over the sample (the two-sided KS statistic D_n).
    public let ksDistance: Double
    /// Probabilities of the quantile comparison (5, 25, 50, 75, 95 %).
    public let probabilities: [Double]
    /// Sample quantiles (type 7, as numpy's default) at `probabilities`.
    public let sampleQuantiles: [Double]
    /// Target quantiles at `probabilities`.
    public let targetQuantiles: [Double]

    public init(sample: [Double], target: PopulationDistribution) {
        let sorted = sample.filter(\.isFinite).sorted()
        count = sorted.count
        var d = 0.0
        let n = Double(sorted.count)
        for (i, x) in sorted.enumerated() {
            let f = target.sampledCDF(x)
            d = max(d, abs(Double(i + 1) / n - f), abs(f - Double(i) / n))
        }
        ksDistance = sorted.isEmpty ? .nan : d
        probabilities = [0.05, 0.25, 0.5, 0.75, 0.95]
        sampleQuantiles = probabilities.map { Histogram.quantile(sorted, $0) }
        targetQuantiles = probabilities.map { target.quantile($0) }
    }
}
