/// Accumulates an indented XML document. Attribute values and text are escaped; attributes whose value
/// is nil are left out.
struct XMLBuilder {
    private(set) var text = ""
    private var depth = 0
    private var open: [String] = []

    init(declaration: Bool = true) {
        if declaration { text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" }
    }

    private static func attributes(_ attributes: KeyValuePairs<String, String?>) -> String {
        attributeList(attributes.map { ($0.key, $0.value) })
    }

    private static func attributeList(_ attributes: [(String, String?)]) -> String {
        var out = ""
        for (name, value) in attributes {
            if let value { out += " \(name)=\"\(escape(value, quote: true))\"" }
        }
        return out
    }

    private mutating func line(_ s: String) {
        text += String(repeating: "  ", count: depth) + s + "\n"
    }

    /// Opens `<name ...>`; close it with `end()`.
    mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        line("<\(name)\(Self.attributes(attributes))>")
        open.append(name)
        depth += 1
    }

    /// Opens `<name ...>` with attributes computed at run time; close it with `end()`.
    mutating func start(_ name: String, attributeList: [(String, String?)]) {
        line("<\(name)\(Self.attributeList(attributeList))>")
        open.append(name)
        depth += 1
    }

    /// Closes the innermost open element.
    mutating func end() {
        guard let name = open.popLast() else { return }
        depth -= 1
        line("</\(name)>")
    }

    /// Writes `<name .../>`.
    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:]) {
        line("<\(name)\(Self.attributes(attributes))/>")
    }

    /// Writes `<name ...> text </name>` on one line.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String?> = [:], text content: String) {
        line("<\(name)\(Self.attributes(attributes))> \(Self.escape(content, quote: false)) </\(name)>")
    }

    /// Writes `<name>` children `</name>` when `body` writes something, nothing otherwise.
    mutating func list(_ name: String, _ body: (inout XMLBuilder) -> Void) {
        var inner = XMLBuilder(declaration: false)
        inner.depth = depth + 1
        body(&inner)
        guard !inner.text.isEmpty else { return }
        line("<\(name)>")
        text += inner.text
        line("</\(name)>")
    }

    /// Escapes `&`, `<`, `>` (and `"` in attributes); other control characters become character references.
    static func escape(_ s: String, quote: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quote: out += "&quot;"
            case "\n" where quote: out += "&#10;"
            case "\t" where quote: out += "&#9;"
            case "\r": out += "&#13;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    continue  // not representable in XML 1.0
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
