import ModelIR

/// A token of the Antimony statement syntax. Expressions inside statements are handed, as the source text
/// between their first and last token, to `ExpressionParser`, so `start`/`end` index the source scalars.
struct AntimonyToken: Sendable {
    enum Kind: Sendable { case identifier, number, string, punctuation, newline, end }
    var kind: Kind
    /// The token's text; for strings the unescaped contents without quotes.
    var text: String
    var location: SourceLocation
    /// Offsets of the token's first scalar and one past its last in the (comment-blanked) source.
    var start: Int
    var end: Int

    /// True for punctuation spelled `symbol`.
    func isPunctuation(_ symbol: String) -> Bool { kind == .punctuation && text == symbol }
    /// True for the identifier `word`.
    func isWord(_ word: String) -> Bool { kind == .identifier && text == word }
    /// True for the tokens that end a statement: a newline, `;` or the end of the input.
    var endsStatement: Bool { kind == .newline || kind == .end || isPunctuation(";") }
}

/// Splits Antimony text into tokens. Comments (`//`, `#` to the end of the line, `/* ... */`) are blanked
/// out first, keeping line and column numbers intact.
enum AntimonyLexer {
    private static let twoCharacter: Set<String> = ["->", "=>", ":=", "==", "!=", "<=", ">=", "&&", "||", "**"]
    private static let oneCharacter: Set<Character> = [
        "+", "-", "*", "/", "^", "(", ")", ",", "<", ">", "!", "=", ";", ":", "$", "'", ".", "@", "{", "}", "[", "]",
    ]

    /// The source with comments replaced by spaces (newlines kept), as unicode scalars.
    static func blankComments(_ text: String) throws -> [Unicode.Scalar] {
        var chars = Array(text.unicodeScalars)
        var i = 0
        var line = 1
        var column = 1
        func blank(_ k: Int) { if chars[k] != "\n" { chars[k] = " " } }
        while i < chars.count {
            let c = chars[i]
            let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "\"" {
                // Skip over the string so comment markers inside it are kept.
                var j = i + 1
                while j < chars.count && chars[j] != "\"" && chars[j] != "\n" { j += chars[j] == "\\" ? 2 : 1 }
                column += min(j + 1, chars.count) - i
                i = min(j + 1, chars.count)
                continue
            }
            if c == "#" || (c == "/" && next == "/") {
                while i < chars.count && chars[i] != "\n" {
                    blank(i)
                    i += 1
                }
                continue
            }
            if c == "/" && next == "*" {
                let start = SourceLocation(line: line, column: column)
                var j = i + 2
                while j + 1 < chars.count && !(chars[j] == "*" && chars[j + 1] == "/") { j += 1 }
                guard j + 1 < chars.count else { throw ModelError.syntax(message: "unterminated comment '/*'", location: start) }
                for k in i...(j + 1) {
                    if chars[k] == "\n" {
                        line += 1
                        column = 1
                    } else {
                        column += 1
                    }
                    blank(k)
                }
                i = j + 2
                continue
            }
            if c == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += 1
        }
        return chars
    }

    /// Tokenises comment-blanked source scalars.
    /// - Throws: `ModelError.syntax` for a character that cannot start a token or an unterminated string.
    static func tokenize(_ chars: [Unicode.Scalar]) throws -> [AntimonyToken] {
        var tokens: [AntimonyToken] = []
        var i = 0
        var line = 1
        var column = 1
        func isDigit(_ k: Int) -> Bool { k < chars.count && ("0"..."9").contains(chars[k]) }
        func text(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(chars[a..<b])) }
        func add(_ kind: AntimonyToken.Kind, _ value: String, length: Int) {
            tokens.append(AntimonyToken(kind: kind, text: value, location: SourceLocation(line: line, column: column),
                                        start: i, end: i + length))
            column += length
            i += length
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                add(.newline, "\n", length: 1)
                line += 1
                column = 1
                continue
            }
            if c == " " || c == "\t" || c == "\r" {
                i += 1
                column += 1
                continue
            }
            if isDigit(i) || (c == "." && isDigit(i + 1)) {
                var j = i
                while isDigit(j) || (j < chars.count && chars[j] == ".") { j += 1 }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                    if isDigit(k) {
                        while isDigit(k) { k += 1 }
                        j = k
                    }
                }
                let s = text(i, j)
                guard Double(s) != nil else {
                    throw ModelError.syntax(message: "malformed number '\(s)'", location: SourceLocation(line: line, column: column))
                }
                add(.number, s, length: j - i)
                continue
            }
            if c == "_" || c.properties.isAlphabetic {
                var j = i
                while j < chars.count && (chars[j] == "_" || chars[j].properties.isAlphabetic || isDigit(j)) { j += 1 }
                add(.identifier, text(i, j), length: j - i)
                continue
            }
            if c == "\"" {
                var j = i + 1
                var value = String.UnicodeScalarView()
                while j < chars.count && chars[j] != "\"" && chars[j] != "\n" {
                    if chars[j] == "\\" && j + 1 < chars.count && chars[j + 1] != "\n" { j += 1 }
                    value.append(chars[j])
                    j += 1
                }
                guard j < chars.count && chars[j] == "\"" else {
                    throw ModelError.syntax(message: "unterminated string", location: SourceLocation(line: line, column: column))
                }
                add(.string, String(value), length: j + 1 - i)
                continue
            }
            if i + 1 < chars.count, twoCharacter.contains(text(i, i + 2)) {
                add(.punctuation, text(i, i + 2), length: 2)
                continue
            }
            if oneCharacter.contains(Character(c)) {
                add(.punctuation, String(c), length: 1)
                continue
            }
            throw ModelError.syntax(message: "unexpected character '\(c)'", location: SourceLocation(line: line, column: column))
        }
        tokens.append(AntimonyToken(kind: .end, text: "", location: SourceLocation(line: line, column: column),
                                    start: chars.count, end: chars.count))
        return tokens
    }
}
