#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Descriptive statistics of a sample of finite values (NaN entries are the caller's to remove).
public struct Summary: Sendable, Equatable, Codable {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n − 1 denominator); NaN for fewer than two values.
    public let standardDeviation: Double
    public let minimum: Double
    public let maximum: Double
    /// Median and quartiles by linear interpolation between order statistics (numpy's default, type 7).
    public let median: Double
    public let lowerQuartile: Double
    public let upperQuartile: Double

    public init(_ values: [Double]) {
        count = values.count
        let sorted = values.sorted()
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        if values.count > 1 {
            let m = mean
            standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        } else {
            standardDeviation = .nan
        }
        minimum = sorted.first ?? .nan
        maximum = sorted.last ?? .nan
        median = Summary.quantile(sorted: sorted, 0.5)
        lowerQuartile = Summary.quantile(sorted: sorted, 0.25)
        upperQuartile = Summary.quantile(sorted: sorted, 0.75)
    }

    /// The q-quantiles (each q in [0, 1]) of unsorted values by linear interpolation (type 7, numpy's default);
    /// NaN entries when `values` is empty. NaN values are the caller's to remove.
    public static func quantiles(_ values: [Double], _ qs: [Double]) -> [Double] {
        let sorted = values.sorted()
        return qs.map { quantile(sorted: sorted, $0) }
    }

    /// The q-quantile of already sorted values by linear interpolation (type 7); NaN when empty.
    public static func quantile(sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * min(max(q, 0), 1)
        let lo = Int(floor(h)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
