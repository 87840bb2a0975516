/// A location in a source text (1-based line and column).
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "line \(line), column \(column)" }
}

/// Why a model, expression or request is invalid. Every case names the offending element so the message
/// can be acted on without reading the code.
public enum ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    case syntax(message: String, location: SourceLocation, file: String? = nil)
    case duplicateId(id: String, kinds: [String])
    case undefinedSymbol(id: String, usedIn: String)
    case unknownFunction(id: String)
    case functionArity(id: String, expected: Int, got: Int)
    case builtinArity(function: String, got: Int)
    case recursiveFunction(id: String)
    case unknownCompartment(species: String, compartment: String)
    case unknownSpecies(id: String, inReaction: String)
    case invalidTarget(id: String, usedIn: String, reason: String)
    case multipleDefinitions(id: String, reason: String)
    case cyclicRules(ids: [String])
    case missingValue(id: String)
    case invalidValue(id: String, reason: String)
    case unsupported(element: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let message, let location, let file):
            return "\(file.map { "\($0): " } ?? "")\(location): \(message)"
        case .duplicateId(let id, let kinds):
            return "duplicate id '\(id)' (used by \(kinds.joined(separator: " and ")))"
        case .undefinedSymbol(let id, let usedIn):
            return "undefined symbol '\(id)' in \(usedIn)"
        case .unknownFunction(let id):
            return "call of undefined function '\(id)'"
        case .functionArity(let id, let expected, let got):
            return "function '\(id)' takes \(expected) argument(s), called with \(got)"
        case .builtinArity(let function, let got):
            return "built-in function '\(function)' called with \(got) argument(s)"
        case .recursiveFunction(let id):
            return "function '\(id)' calls itself (directly or through other functions)"
        case .unknownCompartment(let species, let compartment):
            return "species '\(species)' is in undefined compartment '\(compartment)'"
        case .unknownSpecies(let id, let reaction):
            return "reaction '\(reaction)' refers to undefined species '\(id)'"
        case .invalidTarget(let id, let usedIn, let reason):
            return "'\(id)' cannot be set by \(usedIn): \(reason)"
        case .multipleDefinitions(let id, let reason):
            return "'\(id)' is defined more than once: \(reason)"
        case .cyclicRules(let ids):
            return "assignment rules or initial assignments depend on each other in a cycle: \(ids.joined(separator: ", "))"
        case .missingValue(let id):
            return "'\(id)' has no value: give it a value, an initial assignment or a rule"
        case .invalidValue(let id, let reason):
            return "invalid value for '\(id)': \(reason)"
        case .unsupported(let element, let reason):
            return "unsupported: \(element): \(reason)"
        }
    }
}

/// Several problems found at once (validation reports all of them, not just the first).
public struct ModelErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ModelError]
    public init(_ errors: [ModelError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
