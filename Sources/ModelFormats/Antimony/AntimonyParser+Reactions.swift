import ModelIR

extension AntimonyParser {
    /// `[id:] A + 2 B -> C; rate` (`->` reversible, `=>` irreversible; either side may be empty, the rate
    /// law may be omitted).
    mutating func parseReaction(id: String?) throws {
        let reactants = try parseSide()
        guard peek.isPunctuation("->") || peek.isPunctuation("=>") else {
            throw error("expected '->' or '=>' in a reaction but found \(Self.describe(peek))")
        }
        let arrow = advance()
        let products = try parseSide()
        var law: MathExpression?
        if peek.isPunctuation(";") {
            advance()
            let range = expressionTokens()
            if !range.isEmpty {
                let math = try expression(range, "a rate law")
                draft.use(math)
                law = math
            }
        } else if !peek.endsStatement {
            throw error("expected ';' before the rate law but found \(Self.describe(peek))")
        }
        draft.reactions.append(AntimonyDraft.DraftReaction(
            id: id, reactants: reactants, products: products, kineticLaw: law,
            reversible: arrow.text == "->"))
    }

    /// One side of a reaction: `[stoichiometry] [$]species` terms joined by `+`, possibly none.
    private mutating func parseSide() throws -> [SpeciesReference] {
        var references: [SpeciesReference] = []
        if peek.isPunctuation("->") || peek.isPunctuation("=>") || peek.endsStatement { return references }
        repeat {
            if !references.isEmpty { advance() }
            var stoichiometry = 1.0
            if peek.kind == .number {
                let number = advance()
                guard let v = Double(number.text), v >= 0 else {
                    throw error("malformed stoichiometry '\(number.text)'", at: number)
                }
                stoichiometry = v
            }
            let dollar = peek.isPunctuation("$")
            if dollar { advance() }
            let name = try expectIdentifier("a species")
            try draft.setKind(name.text, .species, at: name.location)
            if dollar { draft.entries[name.text]?.isBoundary = true }
            references.append(SpeciesReference(species: name.text, stoichiometry: stoichiometry))
        } while peek.isPunctuation("+")
        return references
    }

    /// `function f(a, b) body end` (the body may sit on its own lines and end with `;`).
    mutating func parseFunction() throws {
        advance()
        let name = try expectIdentifier("the function's name")
        try expectPunctuation("(", "after the name of function '\(name.text)'")
        var arguments: [String] = []
        if !peek.isPunctuation(")") {
            repeat {
                if !arguments.isEmpty { advance() }
                arguments.append(try expectIdentifier("an argument name").text)
            } while peek.isPunctuation(",")
        }
        try expectPunctuation(")", "after the arguments of function '\(name.text)'")
        skipSeparators()
        let body = try expression(expressionTokens(stopWords: ["end"]), "the body of function '\(name.text)'")
        skipSeparators()
        guard peek.isWord("end") else {
            throw error("expected 'end' after the body of function '\(name.text)' but found \(Self.describe(peek))")
        }
        advance()
        draft.functions.append(FunctionDefinition(id: name.text, arguments: arguments, body: body))
    }

    /// `unit name = definition` (`unit time_unit = hour` sets the model's time unit).
    mutating func parseUnitDefinition() throws {
        advance()
        let name = try expectIdentifier("a unit name")
        var definition = name.text
        if !peek.endsStatement {
            try expectPunctuation("=", "after unit '\(name.text)'")
            definition = try unitText(expressionTokens())
        }
        if name.text == "time_unit" {
            draft.timeUnit = definition
        } else {
            draft.unitDefinitions.removeAll { $0.name == name.text }
            draft.unitDefinitions.append((name.text, definition))
        }
    }
}
