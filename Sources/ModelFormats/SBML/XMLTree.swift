import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ModelIR

/// One element of a parsed XML document: a small immutable tree the SBML reader walks.
struct XMLNode: Sendable {
    /// The local name (`species`, `apply`), without a prefix.
    var name: String
    /// The namespace URI, or "" when the element has none.
    var namespace: String
    /// Attributes keyed by their name as written (`id`, `sbml:units`); namespace declarations excluded.
    var attributes: [String: String]
    var children: [XMLNode] = []
    /// Character data split around the children: `textSegments[i]` precedes `children[i]` and the last
    /// segment follows every child, so `textSegments.count == children.count + 1`.
    var textSegments: [String] = [""]
    /// Where the start tag ends (the position `XMLParser` reports).
    var location: SourceLocation

    /// All character data directly inside the element.
    var text: String { textSegments.joined() }

    /// All character data inside the element and its descendants, in document order.
    var deepText: String {
        var out = textSegments[0]
        for (i, child) in children.enumerated() {
            out += child.deepText
            out += textSegments[i + 1]
        }
        return out
    }

    /// The children with local name `name` in namespace `namespace`.
    func children(_ name: String, in namespace: String) -> [XMLNode] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    /// The first child with local name `name` in namespace `namespace`.
    func child(_ name: String, in namespace: String) -> XMLNode? {
        children.first { $0.name == name && $0.namespace == namespace }
    }
}

/// Limits that keep hostile or broken documents from exhausting memory or time.
struct XMLLimits: Sendable {
    var maximumBytes: Int
    var maximumDepth: Int
}

/// Parses XML with external entities disabled, DOCTYPE/ENTITY declarations refused before parsing, and
/// the size and nesting depth bounded.
enum SafeXMLParser {
    /// The parsed root element and the namespace prefixes declared on it (prefix → URI; "" is the
    /// default namespace).
    struct Document {
        var root: XMLNode
        var rootPrefixes: [String: String]
    }

    /// Parses `data` into a tree. With `rootOnly`, parsing stops after the root's start tag (its
    /// attributes and namespace declarations are all that is returned).
    /// - Throws: `ModelError.syntax` with line and column for malformed XML, a DOCTYPE or ENTITY
    ///   declaration, a document over `limits.maximumBytes` or elements nested deeper than `limits.maximumDepth`.
    static func parse(_ data: Data, file: String?, limits: XMLLimits, rootOnly: Bool = false) throws -> Document {
        guard data.count <= limits.maximumBytes else {
            throw SBMLError.xml("the document is \(data.count) bytes, more than the limit of \(limits.maximumBytes) bytes",
                                line: 1, column: 1, file: file)
        }
        try rejectDeclarations(in: data, file: file)
        try requireUTF8(data, file: file)
        let parser = XMLParser(data: data)
        let builder = TreeBuilder(limits: limits, file: file, rootOnly: rootOnly)
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        parser.shouldResolveExternalEntities = false
        let finished = parser.parse()
        if let failure = builder.failure { throw failure }
        if rootOnly, let root = builder.root { return Document(root: root, rootPrefixes: builder.rootPrefixes) }
        // Foundation on Linux may return true and still set `parserError`.
        if !finished || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw SBMLError.xml("malformed XML: \(SBMLError.explain(xmlErrorCode: code))",
                                line: parser.lineNumber, column: parser.columnNumber, file: file)
        }
        guard let root = builder.root else {
            throw SBMLError.xml("malformed XML: the document has no root element", line: 1, column: 1, file: file)
        }
        return Document(root: root, rootPrefixes: builder.rootPrefixes)
    }

    /// Requires the bytes to be UTF-8, as SBML prescribes. This also protects the parser: Foundation's
    /// `XMLParser` traps on some invalid UTF-8 (for example in attribute values).
    /// - Throws: `ModelError.syntax` at the line and column of the first invalid byte.
    static func requireUTF8(_ data: Data, file: String?) throws {
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) {
            throw SBMLError.xml("the document is UTF-16 encoded; SBML documents must be UTF-8", line: 1, column: 1, file: file)
        }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                throw SBMLError.xml("invalid UTF-8 at byte \(offset) (SBML documents must be UTF-8)", line: line, column: column, file: file)
            case .emptyInput:
                return
            }
        }
    }

    /// Refuses a document type declaration in the prolog (the only place one may appear, and the only
    /// place ENTITY declarations can live), before any parser sees it: this is what stops XXE and
    /// "billion laughs" documents. NUL bytes are skipped so UTF-16 documents are scanned too.
    static func rejectDeclarations(in data: Data, file: String?) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(data.count, 4096))
        var line = 1
        var column = 1
        var index = data.startIndex
        /// Appends the next non-NUL byte; false at the end of the data.
        func next() -> Bool {
            while index < data.endIndex {
                let b = data[index]
                index += 1
                if b == 0 || b == 0xFE || b == 0xFF || b == 0xEF || b == 0xBB || b == 0xBF { continue }
                bytes.append(b)
                if b == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                return true
            }
            return false
        }
        func refuse(_ what: String) -> ModelError {
            SBMLError.xml("\(what) declarations are not allowed in SBML documents (refused for safety: they enable external and recursive entity expansion)",
                          line: line, column: max(column - 9, 1), file: file)
        }
        // Walk the prolog: whitespace, the XML declaration, processing instructions and comments.
        while next() {
            let b = bytes[bytes.count - 1]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                continue
            }
            guard b == UInt8(ascii: "<") else { return }
            guard next() else { return }
            let c = bytes[bytes.count - 1]
            if c == UInt8(ascii: "?") {
                while next() { if bytes.count >= 2 && bytes.suffix(2).elementsEqual("?>".utf8) { break } }
            } else if c == UInt8(ascii: "!") {
                var head: [UInt8] = []
                while head.count < 7 && next() { head.append(bytes[bytes.count - 1]) }
                let word = String(decoding: head, as: UTF8.self)
                if word.hasPrefix("--") {
                    while next() { if bytes.count >= 3 && bytes.suffix(3).elementsEqual("-->".utf8) { break } }
                } else if word.uppercased().hasPrefix("DOCTYPE") {
                    throw refuse("DOCTYPE")
                } else if word.uppercased().hasPrefix("ENTITY") {
                    throw refuse("ENTITY")
                } else {
                    return
                }
            } else {
                return  // the root element: the prolog is over
            }
        }
    }
}

/// Builds `XMLNode`s from `XMLParser` callbacks and enforces the depth limit.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    let limits: XMLLimits
    let file: String?
    let rootOnly: Bool
    var stack: [XMLNode] = []
    var root: XMLNode?
    var rootPrefixes: [String: String] = [:]
    var failure: ModelError?

    init(limits: XMLLimits, file: String?, rootOnly: Bool) {
        self.limits = limits
        self.file = file
        self.rootOnly = rootOnly
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        if failure == nil {
            failure = SBMLError.xml(message, line: parser.lineNumber, column: parser.columnNumber, file: file)
        }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartMappingPrefix prefix: String, toURI namespaceURI: String) {
        if root == nil && stack.isEmpty { rootPrefixes[prefix] = namespaceURI }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard failure == nil else { return }
        if stack.count >= limits.maximumDepth {
            fail(parser, "elements are nested more than \(limits.maximumDepth) levels deep")
            return
        }
        let node = XMLNode(name: elementName, namespace: namespaceURI ?? "", attributes: attributeDict,
                           location: SourceLocation(line: parser.lineNumber, column: parser.columnNumber))
        if rootOnly && stack.isEmpty {
            root = node
            parser.abortParsing()
            return
        }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil, let node = stack.popLast() else { return }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
            stack[stack.count - 1].textSegments.append("")
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil, !stack.isEmpty else { return }
        stack[stack.count - 1].textSegments[stack[stack.count - 1].textSegments.count - 1] += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    // Defence in depth: the prolog scan already refuses these, but never let the parser act on them.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, "ENTITY declarations are not allowed in SBML documents (entity '\(name)')")
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, "ENTITY declarations are not allowed in SBML documents (entity '\(name)')")
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? { nil }
}
