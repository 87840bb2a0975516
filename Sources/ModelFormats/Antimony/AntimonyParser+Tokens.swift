import ModelIR

extension AntimonyParser {
    var peek: AntimonyToken { tokens[position] }

    /// The token `offset` places ahead (the end token when past the end).
    func peek(_ offset: Int) -> AntimonyToken { tokens[min(position + offset, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> AntimonyToken {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    /// A syntax error at `token` (the current token by default).
    func error(_ message: String, at token: AntimonyToken? = nil) -> ModelError {
        .syntax(message: message, location: (token ?? peek).location)
    }

    /// How a token is shown in messages.
    static func describe(_ t: AntimonyToken) -> String {
        switch t.kind {
        case .end: "the end of the input"
        case .newline: "the end of the line"
        case .string: "the string \"\(t.text)\""
        default: "'\(t.text)'"
        }
    }

    mutating func expectPunctuation(_ symbol: String, _ purpose: String) throws {
        guard peek.isPunctuation(symbol) else {
            throw error("expected '\(symbol)' \(purpose) but found \(Self.describe(peek))")
        }
        advance()
    }

    /// Reads an identifier naming a model element.
    mutating func expectIdentifier(_ what: String) throws -> AntimonyToken {
        guard peek.kind == .identifier else { throw error("expected \(what) but found \(Self.describe(peek))") }
        if peek(1).isPunctuation(".") {
            throw error("'\(peek.text).\(peek(2).text)': dotted names (elements of submodels) are not supported", at: peek(1))
        }
        return advance()
    }

    /// Skips newlines and `;`.
    mutating func skipSeparators() {
        while peek.kind == .newline || peek.isPunctuation(";") { advance() }
    }

    /// Consumes the end of a statement (`;`, a newline or the end of the input).
    mutating func expectStatementEnd() throws {
        guard peek.endsStatement else {
            throw error("expected ';' or a new line before \(Self.describe(peek))")
        }
        if peek.kind != .end { advance() }
    }

    /// Advances over an expression: up to the end of the statement, or a token in `stopWords` /
    /// `stopPunctuation` outside parentheses. Returns the token range it covers.
    mutating func expressionTokens(stopWords: Set<String> = [], stopPunctuation: Set<String> = []) -> Range<Int> {
        let start = position
        var depth = 0
        while !peek.endsStatement {
            let t = peek
            if depth == 0 && (t.kind == .identifier && stopWords.contains(t.text)
                              || t.kind == .punctuation && stopPunctuation.contains(t.text)) { break }
            if t.isPunctuation("(") { depth += 1 }
            if t.isPunctuation(")") { depth = max(0, depth - 1) }
            advance()
        }
        return start..<position
    }

    /// Parses the tokens in `range` as one expression with `ExpressionParser`.
    /// - Throws: `ModelError.syntax` when the range is empty (naming `what` was expected) or malformed.
    func expression(_ range: Range<Int>, _ what: String) throws -> MathExpression {
        guard let first = range.first, let last = range.last else {
            throw error("expected \(what) but found \(Self.describe(tokens[range.lowerBound]))", at: tokens[range.lowerBound])
        }
        if let dot = range.first(where: { tokens[$0].isPunctuation(".") }) {
            throw error("dotted names (elements of submodels) are not supported", at: tokens[dot])
        }
        let text = String(String.UnicodeScalarView(source[tokens[first].start..<tokens[last].end]))
        return try ExpressionParser.parse(text, at: tokens[first].location)
    }

    /// Parses a value: an expression, or a number followed by a unit (`0.3 per_hour`, `2 mole/litre`).
    func value(_ range: Range<Int>, _ what: String) throws -> (math: MathExpression, units: String?) {
        var numberEnd = range.lowerBound
        if numberEnd < range.upperBound && (tokens[numberEnd].isPunctuation("-") || tokens[numberEnd].isPunctuation("+")) {
            numberEnd += 1
        }
        let operators: Set<String> = ["and", "or", "xor", "not"]
        if numberEnd + 1 < range.upperBound, tokens[numberEnd].kind == .number,
           tokens[numberEnd + 1].kind == .identifier, !operators.contains(tokens[numberEnd + 1].text) {
            let math = try expression(range.lowerBound..<(numberEnd + 1), what)
            return (math, try unitText(numberEnd + 1..<range.upperBound))
        }
        return (try expression(range, what), nil)
    }

    /// The text of a unit expression (identifiers, numbers, `*`, `/`, `^`, `-`, parentheses), spaced
    /// only between adjacent names and numbers: `mole / litre` becomes `mole/litre`.
    func unitText(_ range: Range<Int>) throws -> String {
        guard !range.isEmpty else { throw error("expected a unit", at: tokens[range.lowerBound]) }
        var text = ""
        var previousIsWord = false
        for i in range {
            let t = tokens[i]
            let isWord = t.kind == .identifier || t.kind == .number
            guard isWord || ["*", "/", "^", "-", "(", ")"].contains(t.text) && t.kind == .punctuation else {
                throw error("unexpected \(Self.describe(t)) in a unit", at: t)
            }
            if isWord && previousIsWord { text += " " }
            text += t.text
            previousIsWord = isWord
        }
        return text
    }
}
