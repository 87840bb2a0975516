/// Selection of a virtual population whose outputs match target distributions, by acceptance–rejection
/// (Allen, Rieger & Musante 2016, "Efficient generation and selection of virtual populations in quantitative
/// systems pharmacology models", CPT:PSP 5:140–146).
///
/// Plausible patients are drawn from the parameter distributions; a plausible patient with outputs `x` is
/// accepted with probability `p(x) = min(1, t(x) / (s · q(x)))`, where `t` is the target density (the product
/// of the targets' marginal densities), `q` the density of the plausible population (estimated from a pilot
/// sample of plausible patients by one histogram per output, also taken as independent) and `s` the scale
/// factor that makes the largest ratio over the pilot sample equal to 1. The accepted patients are then
/// distributed approximately as the target.
public struct PopulationSelection: Sendable {
    /// The target distributions, one per selected output.
    public let targets: [PopulationDistribution]
    private let histograms: [Histogram]
    /// The scale factor s.
    public let scale: Double

    /// - Parameters:
    ///   - targets: the target distribution of each output.
    ///   - pilot: the outputs of the pilot plausible patients (`pilot[i][k]` = output k of patient i); rows with
    ///     a non-finite value are ignored.
    /// - Throws: `CohortError.invalidSelection` when the pilot has fewer than 20 usable rows or no pilot
    ///   patient has positive target density (the targets lie outside what the model produces).
    public init(targets: [PopulationDistribution], pilot: [[Double]]) throws {
        self.targets = targets
        let rows = pilot.filter { $0.count == targets.count && $0.allSatisfy(\.isFinite) }
        guard rows.count >= 20 else {
            throw CohortError.invalidSelection("only \(rows.count) pilot patients simulated successfully; at least 20 are needed")
        }
        histograms = targets.indices.map { k in Histogram(rows.map { $0[k] }) }
        var best = 0.0
        for row in rows {
            let r = Self.ratio(row, targets, histograms)
            if r.isFinite { best = max(best, r) }
        }
        guard best > 0 else {
            throw CohortError.invalidSelection("no pilot patient has outputs where the targets have density; the targets are outside what the model produces")
        }
        scale = best
    }

    /// The probability of accepting a plausible patient with outputs `x`.
    public func acceptanceProbability(_ x: [Double]) -> Double {
        guard x.count == targets.count, x.allSatisfy(\.isFinite) else { return 0 }
        let r = Self.ratio(x, targets, histograms) / scale
        return r.isFinite ? min(1, r) : 1
    }

    private static func ratio(_ x: [Double], _ targets: [PopulationDistribution], _ histograms: [Histogram]) -> Double {
        var r = 1.0
        for k in x.indices {
            let q = histograms[k].density(x[k])
            guard q > 0 else { return 0 }
            r *= targets[k].density(x[k]) / q
        }
        return r
    }
}

/// An equal-width histogram density estimate (Freedman–Diaconis bin width, at least 5 and at most 200 bins).
struct Histogram: Sendable {
    let lower: Double
    let width: Double
    let densities: [Double]

    init(_ values: [Double]) {
        let sorted = values.sorted()
        let n = sorted.count
        let lo = sorted.first ?? 0, hi = sorted.last ?? 0
        let iqr = Self.quantile(sorted, 0.75) - Self.quantile(sorted, 0.25)
        var bins = 20
        if iqr > 0, hi > lo {
            let h = 2 * iqr / pow(Double(n), 1.0 / 3.0)
            bins = Int(((hi - lo) / h).rounded(.up))
        }
        bins = min(max(bins, 5), 200)
        let span = hi > lo ? hi - lo : max(abs(lo), 1) * 1e-9
        lower = lo
        width = span / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in sorted { counts[min(bins - 1, max(0, Int((v - lo) / width)))] += 1 }
        let w = span / Double(bins)
        densities = counts.map { $0 / (Double(n) * w) }
    }

    func density(_ x: Double) -> Double {
        let k = Int(((x - lower) / width).rounded(.down))
        if x == lower + width * Double(densities.count) { return densities[densities.count - 1] }
        return k >= 0 && k < densities.count ? densities[k] : 0
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
