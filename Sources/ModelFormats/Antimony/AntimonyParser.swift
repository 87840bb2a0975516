import ModelIR

/// Reads Antimony statements into an `AntimonyDraft`. One statement per line or per `;`; expressions
/// are parsed by `ExpressionParser` from the source text they span.
struct AntimonyParser {
    enum ModelBlock { case none, open(SourceLocation), closed }

    let source: [Unicode.Scalar]
    let tokens: [AntimonyToken]
    var position = 0
    var draft = AntimonyDraft()
    var block = ModelBlock.none
    /// The first statement outside a model block (other than functions and units).
    var firstOutsideStatement: SourceLocation?

    /// Words that start constructs of the language this reader does not support.
    static let unsupportedWords: Set<String> = [
        "import", "extends", "delete", "DNA", "gene", "operator", "promoter", "operon", "terminator", "ext",
        "deleted", "reaction", "event", "interaction",
    ]
    /// Words that begin declarations.
    static let declarationWords: Set<String> = ["species", "compartment", "const", "var", "substanceOnly", "formula"]

    init(text: String) throws {
        source = try AntimonyLexer.blankComments(text)
        tokens = try AntimonyLexer.tokenize(source)
    }

    /// Parses the whole text.
    mutating func parse() throws -> AntimonyDraft {
        while true {
            skipSeparators()
            if peek.kind == .end { break }
            // `model m() x = 1` is allowed: a model header needs no separator after it.
            let isHeader = peek.isWord("model")
            try parseStatement()
            if !isHeader { try expectStatementEnd() }
        }
        if case .open(let location) = block {
            throw ModelError.syntax(
                message: "model '\(draft.modelId ?? "")' (\(location)) is not closed by 'end'", location: peek.location)
        }
        return draft
    }

    private mutating func parseStatement() throws {
        let t = peek
        switch t.kind {
        case .identifier where t.text == "model": return try parseModelHeader()
        case .identifier where t.text == "end": return try parseEnd()
        case .identifier where t.text == "function": return try parseFunction()
        case .identifier where t.text == "unit": return try parseUnitDefinition()
        default: break
        }
        try checkInsideModel(t)
        switch t.kind {
        case .identifier where Self.declarationWords.contains(t.text) && !Self.startsAssignment(peek(1)):
            try parseDeclaration()
        case .identifier where Self.unsupportedWords.contains(t.text) && !Self.startsAssignment(peek(1)):
            throw error("the Antimony construct '\(t.text)' is not supported")
        case .identifier:
            try parseSymbolStatement()
        case .number where peek(1).isPunctuation("="):
            guard case .number(0) = try expression(position..<position + 1, "0") else {
                throw error("an algebraic rule is written '0 = expression'")
            }
            advance()
            advance()
            draft.addAlgebraicRule(try expression(expressionTokens(), "an expression"), at: t.location)
        case .number:
            try parseReaction(id: nil)
        case .punctuation where ["$", "->", "=>"].contains(t.text):
            try parseReaction(id: nil)
        default:
            throw error("unexpected \(Self.describe(t)) at the start of a statement")
        }
    }

    /// True when `t` makes the preceding word the subject of an assignment (`const = 3` names a symbol).
    static func startsAssignment(_ t: AntimonyToken) -> Bool {
        t.kind == .punctuation && ["=", ":=", "'", ":", "->", "=>", "+"].contains(t.text)
    }

    /// Statements other than functions and units belong inside the single model block, or there is none.
    private mutating func checkInsideModel(_ t: AntimonyToken) throws {
        switch block {
        case .open: return
        case .none: if firstOutsideStatement == nil { firstOutsideStatement = t.location }
        case .closed:
            // After the model only its display name may be given: `model_id is "Name"`.
            if t.text == draft.modelId && peek(1).isWord("is") && peek(2).kind == .string { return }
            throw error("statement after the end of model '\(draft.modelId ?? "")': only one model per file is supported")
        }
    }

    private mutating func parseModelHeader() throws {
        let keyword = advance()
        if case .none = block, let outside = firstOutsideStatement {
            throw error("statements outside the model block (\(outside)) are not supported in a file with a model block",
                        at: keyword)
        }
        guard case .none = block else {
            throw error("a second model definition: only one model per file is supported (submodels are not)", at: keyword)
        }
        if peek.isPunctuation("*") { advance() }
        let name = try expectIdentifier("the model's name")
        if peek.isPunctuation("(") {
            advance()
            guard peek.isPunctuation(")") else {
                throw error("model parameters (module interfaces) are not supported")
            }
            advance()
        }
        draft.modelId = name.text
        block = .open(keyword.location)
    }

    private mutating func parseEnd() throws {
        guard case .open = block else { throw error("'end' without an open model block") }
        advance()
        block = .closed
    }

    /// `[const|var|substanceOnly|formula]* [species|compartment] [$]name [in c] [= value], ...`
    private mutating func parseDeclaration() throws {
        var isConstant: Bool?
        var isSubstanceOnly = false
        var kind: AntimonyDraft.Kind?
        while kind == nil, peek.kind == .identifier, Self.declarationWords.contains(peek.text) {
            switch advance().text {
            case "const": isConstant = true
            case "var": isConstant = false
            case "substanceOnly": isSubstanceOnly = true
            case "species": kind = .species
            case "compartment": kind = .compartment
            default: break
            }
        }
        if isSubstanceOnly { kind = .species }
        repeat {
            if peek.isPunctuation(",") { advance() }
            let dollar = peek.isPunctuation("$") ? advance() : nil
            let name = try expectIdentifier("a name to declare")
            let id = name.text
            if let dollar, kind != .species {
                throw error("'$' marks boundary species: write 'species $\(id)' or use it in a reaction", at: dollar)
            }
            if let kind { try draft.setKind(id, kind, at: name.location) } else { draft.define(id) }
            if let isConstant { draft.entries[id]?.isConstant = isConstant }
            if isSubstanceOnly { draft.entries[id]?.isSubstanceOnly = true }
            if dollar != nil { draft.entries[id]?.isBoundary = true }
            if peek.isWord("in") {
                let inWord = advance()
                let compartment = try expectIdentifier("a compartment")
                try draft.place(id, in: compartment.text, at: inWord.location)
            }
            if peek.isPunctuation("=") {
                let equals = advance()
                let (math, units) = try value(expressionTokens(stopPunctuation: [","]), "a value for '\(id)'")
                try draft.setInitial(id, math, units: units, at: equals.location)
            }
        } while peek.isPunctuation(",")
    }

    /// Statements that start with a name: assignments, rules, `is`, `has`, `in`, labels, reactions, events.
    private mutating func parseSymbolStatement() throws {
        let name = peek
        let next = peek(1)
        if name.text == "at" && !next.endsStatement && !(Self.startsAssignment(next) && !next.isPunctuation(":"))
            && !["is", "has", "in"].contains(next.text) {
            return try parseEvent(id: nil)
        }
        if next.isPunctuation(":") {
            advance()
            advance()
            if peek.isWord("at") && !Self.startsAssignment(peek(1)) { return try parseEvent(id: name.text) }
            if peek.kind == .identifier && peek(1).isPunctuation("(") {
                throw error("submodel instances ('\(name.text): \(peek.text)(...)') are not supported")
            }
            return try parseReaction(id: name.text)
        }
        if next.isPunctuation(".") {
            throw error("'\(name.text).\(peek(2).text)': dotted names (elements of submodels) are not supported", at: next)
        }
        switch next.kind == .punctuation || next.kind == .identifier ? next.text : "" {
        case "=" where name.text == "time_unit":
            advance()
            advance()
            draft.timeUnit = try unitText(expressionTokens())
        case "=":
            advance()
            let equals = advance()
            let (math, units) = try value(expressionTokens(), "a value for '\(name.text)'")
            try draft.setInitial(name.text, math, units: units, at: equals.location)
        case ":=":
            advance()
            advance()
            try draft.setAssignmentRule(name.text, try expression(expressionTokens(), "an expression"), at: name.location)
        case "'":
            advance()
            advance()
            try expectPunctuation("=", "after \(name.text)' (a rate rule is written \(name.text)' = expression)")
            try draft.setRateRule(name.text, try expression(expressionTokens(), "an expression"), at: name.location)
        case "is":
            advance()
            advance()
            guard peek.kind == .string else {
                throw error("only display names ('\(name.text) is \"Name\"') are supported after 'is'")
            }
            draft.define(name.text)
            draft.displayNames[name.text] = advance().text
        case "has":
            advance()
            advance()
            let units = try unitText(expressionTokens())
            draft.define(name.text)
            draft.entries[name.text]?.units = units
        case "in":
            advance()
            let inWord = advance()
            let compartment = try expectIdentifier("a compartment")
            try draft.place(name.text, in: compartment.text, at: inWord.location)
        case "+", "->", "=>":
            try parseReaction(id: nil)
        default:
            if next.kind == .identifier && peek(2).kind == .string {
                throw error("annotation statements ('\(name.text) \(next.text) \"...\"') are not supported", at: next)
            }
            throw error("expected '=', ':=', an arrow or a reaction after '\(name.text)' but found \(Self.describe(next))",
                        at: next)
        }
    }
}
