#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text and number formatting shared by the SVG and HTML writers: escaping and fixed-precision numbers, so that the
/// same input always gives byte-identical output (no locale, no shortest-round-trip float printing).
public enum Markup {
    /// Escapes `& < > " '` for use in XML/HTML text and attribute values. Control characters other than tab and
    /// newline (not allowed in XML 1.0) become U+FFFD.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// `value` with exactly `decimals` digits after the point (0...9), rounded half away from zero; "-0" never
    /// appears. Values too large for fixed notation (|value| ≥ 1e15) and non-finite values go through `scientific`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        let decimals = min(max(decimals, 0), 9)
        guard value.isFinite, abs(value) < 1e15 else { return scientific(value, digits: 3) }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        let units = Int64(scaled)
        let sign = value < 0 && units != 0 ? "-" : ""
        if decimals == 0 { return sign + String(units) }
        var fraction = String(units % scale)
        fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
        return sign + String(units / scale) + "." + fraction
    }

    /// Scientific notation with `digits` significant digits and trailing zeros removed, e.g. "2.5e-7", "1e6".
    public static func scientific(_ value: Double, digits: Int) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == 0 { return "0" }
        var exponent = Int((abs(value)).log10Floor)
        var mantissa = abs(value) / power10(exponent)
        let rounded = fixed(mantissa, decimals: max(digits - 1, 0))
        if rounded.hasPrefix("10") { exponent += 1; mantissa /= 10 }
        var text = fixed(mantissa, decimals: max(digits - 1, 0))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return (value < 0 ? "-" : "") + text + "e" + String(exponent)
    }

    /// A number for people: fixed notation with up to `significant` significant digits (trailing zeros removed)
    /// for 1e-4 ≤ |value| < 1e6, scientific otherwise.
    public static func readable(_ value: Double, significant: Int = 4) -> String {
        guard value.isFinite, value != 0 else { return value == 0 ? "0" : scientific(value, digits: significant) }
        let magnitude = abs(value)
        guard magnitude >= 1e-4, magnitude < 1e6 else { return scientific(value, digits: significant) }
        let decimals = max(0, significant - 1 - Int(magnitude.log10Floor))
        var text = fixed(value, decimals: decimals)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// Pixel coordinates: two decimals.
    static func px(_ value: Double) -> String { fixed(value, decimals: 2) }

    static func power10(_ k: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(k) { result *= 10 }
        return k < 0 ? 1 / result : result
    }

    /// FNV-1a of the UTF-8 bytes, as 8 hex digits: a stable id for clip paths.
    static func hash(_ text: String) -> String {
        var h: UInt32 = 0x811C_9DC5
        for byte in text.utf8 { h = (h ^ UInt32(byte)) &* 0x0100_0193 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension Double {
    /// ⌊log10 |x|⌋ for finite non-zero x, robust to the rounding of log10 at exact powers of ten.
    var log10Floor: Double {
        var k = Int((log10(abs(self))).rounded(.down))
        while Markup.power10(k) > abs(self) { k -= 1 }
        while Markup.power10(k + 1) <= abs(self) { k += 1 }
        return Double(k)
    }
}
