import ModelIR

/// Builds the `ModelError`s the SBML reader throws, so every message names the element (and its SBML id
/// where it has one) and carries the line and column of the element's start tag.
enum SBMLError {
    /// A structural problem at `node`: a missing or malformed attribute, a misplaced element, bad MathML.
    static func syntax(_ message: String, at node: XMLNode, file: String?) -> ModelError {
        .syntax(message: message, location: node.location, file: file)
    }

    /// A problem with the XML itself (not well formed, too large, forbidden declarations).
    static func xml(_ message: String, line: Int, column: Int, file: String?) -> ModelError {
        .syntax(message: message, location: SourceLocation(line: max(line, 1), column: max(column, 1)), file: file)
    }

    /// How an element is named in messages: `<species id="S1">` or `<trigger>`.
    static func describe(_ node: XMLNode) -> String {
        if let id = node.attributes["id"] { return "<\(node.name) id=\"\(id)\">" }
        if let v = node.attributes["variable"] { return "<\(node.name) variable=\"\(v)\">" }
        if let s = node.attributes["symbol"] { return "<\(node.name) symbol=\"\(s)\">" }
        if let s = node.attributes["species"] { return "<\(node.name) species=\"\(s)\">" }
        return "<\(node.name)>"
    }

    /// A readable explanation of an `XMLParser` error code (Foundation on Linux reports no message).
    static func explain(xmlErrorCode code: Int) -> String {
        switch code {
        case 4: return "the document is empty"
        case 5: return "the document ends before all elements are closed"
        case 9: return "invalid character"
        case 23: return "an attribute is not closed or is malformed"
        case 26: return "undeclared entity reference"
        case 38, 39, 40, 41: return "malformed attribute"
        case 64: return "malformed XML declaration"
        case 68: return "malformed character or entity reference"
        case 73: return "a start tag is not closed with '>'"
        case 76: return "an end tag does not match its start tag"
        case 5000...: return "the document was rejected"
        default: return "the document is not well-formed XML (parser error \(code))"
        }
    }
}
