/// A JSON value printed deterministically: keys in the order given, numbers as Swift's shortest
/// round-trip decimal, non-finite numbers as `null` — so equal inputs give byte-identical files.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

    /// Pretty-printed text with two-space indentation and a final newline.
    public func rendered() -> String {
        var out = ""
        write(into: &out, indent: 0)
        return out + "\n"
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1), close = String(repeating: "  ", count: indent)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += "\(i)"
        case .number(let x): out += x.isFinite ? (x == x.rounded() && abs(x) < 1e15 ? "\(Int(x))" : "\(x)") : "null"
        case .string(let s): out += Self.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy({ $0.isScalar }) {
                out += "[" + items.map { $0.rendered().dropLast() }.joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (k, v) in items.enumerated() {
                out += pad
                v.write(into: &out, indent: indent + 1)
                out += k == items.count - 1 ? "\n" : ",\n"
            }
            out += close + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (k, (key, v)) in pairs.enumerated() {
                out += pad + Self.quote(key) + ": "
                v.write(into: &out, indent: indent + 1)
                out += k == pairs.count - 1 ? "\n" : ",\n"
            }
            out += close + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
