#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How data values map to positions along an axis.
public enum AxisScale: String, Sendable, Codable {
    case linear
    /// Logarithmic, base 10; non-positive values cannot be drawn and are skipped like NaN.
    case log10
}

/// One axis of a plot: its label, scale and (optionally) a fixed range in data units.
public struct Axis: Sendable, Equatable {
    public var label: String
    public var scale: AxisScale
    /// Data range shown; nil: the data's range, widened to nice tick values.
    public var range: ClosedRange<Double>?

    public init(label: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
    }
}

/// Tick positions with labels for an axis, and the (possibly widened) range they cover.
public struct Ticks: Sendable, Equatable {
    public var values: [Double]
    public var labels: [String]
    /// The range the axis spans: the nice range around the data unless the caller fixed it.
    public var range: ClosedRange<Double>

    /// Ticks on "nice" values for data in [low, high].
    ///
    /// Linear: steps of 1, 2 or 5 × 10^k chosen so about `target` ticks cover the range; when `widen` is true the
    /// range grows to the enclosing multiples of the step. Log10: ticks at the powers of ten (every k-th one
    /// when there are more than `target` decades), the range widened to whole decades.
    /// A degenerate range (low == high) is widened around the value; NaN/infinite input gives the range [0, 1].
    public static func make(low: Double, high: Double, scale: AxisScale, target: Int = 6, widen: Bool = true) -> Ticks {
        var low = low, high = high
        switch scale {
        case .linear:
            if !low.isFinite || !high.isFinite { low = 0; high = 1 }
            if low > high { swap(&low, &high) }
            if low == high {
                let pad = low == 0 ? 1 : abs(low) * 0.1
                low -= pad; high += pad
            }
            let step = niceStep((high - low) / Double(max(target - 1, 1)))
            if widen {
                low = (low / step).rounded(.down) * step
                high = (high / step).rounded(.up) * step
            }
            let first = (low / step - 1e-9).rounded(.up), last = (high / step + 1e-9).rounded(.down)
            var values: [Double] = []
            if first <= last {
                for k in Int(first)...Int(last) { values.append(Double(k) * step) }
            }
            let decimals = max(0, -Int(step.log10Floor))
            let largest = max(abs(low), abs(high))
            let labels = values.map { v -> String in
                if largest >= 1e6 || step < 1e-4 { return Markup.scientific(v, digits: 3) }
                return Markup.fixed(abs(v) < step * 1e-9 ? 0 : v, decimals: decimals)
            }
            return Ticks(values: values, labels: labels, range: low...high)
        case .log10:
            if !(low > 0) || !low.isFinite || !(high > 0) || !high.isFinite { low = 1; high = 10 }
            if low > high { swap(&low, &high) }
            var kLow = Int(low.log10Floor)
            var kHigh = Int(high.log10Floor)
            if Markup.power10(kHigh) < high { kHigh += 1 }
            if kLow == kHigh { kLow -= 1; kHigh += 1 }
            let every = max(1, Int((Double(kHigh - kLow) / Double(max(target, 1))).rounded(.up)))
            var values: [Double] = [], labels: [String] = []
            let rangeLow = widen ? Markup.power10(kLow) : low, rangeHigh = widen ? Markup.power10(kHigh) : high
            for k in kLow...kHigh where (k - kLow) % every == 0 {
                let v = Markup.power10(k)
                guard v >= rangeLow * (1 - 1e-12), v <= rangeHigh * (1 + 1e-12) else { continue }
                values.append(v)
                labels.append(k >= -3 && k <= 5 ? Markup.readable(v) : "1e" + String(k))
            }
            return Ticks(values: values, labels: labels, range: rangeLow...rangeHigh)
        }
    }

    /// The 1-2-5 × 10^k value nearest above `rough` (positive).
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = Markup.power10(Int(rough.log10Floor))
        let residual = rough / magnitude
        let factor: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        return factor * magnitude
    }
}

/// Maps data values on one axis to pixels.
struct AxisMap {
    let scale: AxisScale
    let range: ClosedRange<Double>
    let from: Double, to: Double   // pixel positions of range.lowerBound and range.upperBound

    /// The pixel position, or nil for a value that cannot be drawn (NaN, infinite, ≤ 0 on a log axis).
    func callAsFunction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let t: Double
        switch scale {
        case .linear:
            t = (value - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .log10:
            guard value > 0 else { return nil }
            t = (log10(value) - log10(range.lowerBound)) / (log10(range.upperBound) - log10(range.lowerBound))
        }
        return from + t * (to - from)
    }

    /// Like the call, but values outside the range are pinned to its ends (for bars and bands reaching off-axis).
    func clamped(_ value: Double) -> Double? {
        guard let p = self(value) else {
            if scale == .log10, value <= 0 { return from }
            return nil
        }
        return min(max(p, min(from, to)), max(from, to))
    }
}
