import Foundation
import ModelIR

/// Parses numbers as SBML writes them (XML Schema `double`, plus the `INF`/`-INF`/`NaN` spellings).
enum SBMLNumber {
    static func parse(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, !t.lowercased().hasPrefix("0x"), !t.lowercased().hasPrefix("-0x") else { return nil }
        switch t {
        case "INF", "+INF", "inf", "Infinity", "infinity": return .infinity
        case "-INF", "-inf", "-Infinity", "-infinity": return -.infinity
        case "NaN", "nan": return .nan
        default: return Double(t)
        }
    }
}

/// Walks the `<model>` element of an SBML document and builds a `Model`. One instance reads one
/// document; its level and version select the defaults for absent attributes.
struct SBMLModelReader {
    let level: Int
    let version: Int
    /// The SBML core namespace of the document; elements in other namespaces are ignored.
    let namespace: String
    let file: String?
    var math: MathMLReader { MathMLReader(file: file) }

    init(level: Int, version: Int, namespace: String, file: String?) {
        self.level = level
        self.version = version
        self.namespace = namespace
        self.file = file
    }

    func readModel(_ node: XMLNode) throws -> Model {
        var model = Model(id: try optionalId(node) ?? "", name: node.attributes["name"])
        model.functions = try items(node, "listOfFunctionDefinitions", "functionDefinition") { try functionDefinition($0) }
            .compactMap { $0 }
        model.metadata = try unitMetadata(node)
        model.compartments = try items(node, "listOfCompartments", "compartment", compartment)
        model.species = try items(node, "listOfSpecies", "species", species)
        model.parameters = try items(node, "listOfParameters", "parameter") { try parameter($0, local: false) }
        model.initialAssignments = try items(node, "listOfInitialAssignments", "initialAssignment", initialAssignment)
            .compactMap { $0 }
        model.rules = try rules(node)
        model.reactions = try items(node, "listOfReactions", "reaction", reaction)
        model.events = try items(node, "listOfEvents", "event", event).compactMap { $0 }
        if level >= 3 {
            model.conversionFactor = try sid(node, "conversionFactor")
            model.timeUnit = node.attributes["timeUnits"]
            for key in ["substanceUnits", "volumeUnits", "areaUnits", "lengthUnits", "extentUnits"] {
                if let value = node.attributes[key] { model.metadata[SBMLUnits.modelAttributeKey(key)] = value }
            }
        }
        if let notes = node.child("notes", in: namespace) {
            let text = notes.deepText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !text.isEmpty { model.metadata["notes"] = text }
        }
        if let entries = node.child("annotation", in: namespace)?.child("metadata", in: SBMLWriter.metadataNamespace) {
            for entry in entries.children("entry", in: SBMLWriter.metadataNamespace) {
                if let key = entry.attributes["key"] {
                    model.metadata[key] = entry.text.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            }
        }
        applyLevel2CompartmentDefaults(&model)
        return model
    }

    /// Level 2 gives compartments without `size` the size 1, unless they are 0-dimensional or set by an
    /// initial assignment or assignment rule.
    private func applyLevel2CompartmentDefaults(_ model: inout Model) {
        guard level == 2 else { return }
        let assigned = Set(model.initialAssignments.map(\.symbol)
                           + model.rules.compactMap { if case .assignment(let v, _) = $0 { v } else { nil } })
        for i in model.compartments.indices where model.compartments[i].size == nil {
            let c = model.compartments[i]
            if c.spatialDimensions != 0 && !assigned.contains(c.id) {
                model.compartments[i].size = 1
            }
        }
    }

    // MARK: Lists

    /// Reads every `<element>` inside `<list>` (both in the core namespace) with `read`.
    func items<T>(_ parent: XMLNode, _ list: String, _ element: String, _ read: (XMLNode) throws -> T) throws -> [T] {
        let lists = parent.children(list, in: namespace)
        guard lists.count <= 1 else {
            throw SBMLError.syntax("<\(parent.name)> contains more than one <\(list)>", at: lists[1], file: file)
        }
        guard let listNode = lists.first else { return [] }
        var out: [T] = []
        for child in listNode.children where child.namespace == namespace {
            guard child.name == element else {
                if child.name == "notes" || child.name == "annotation" { continue }
                throw SBMLError.syntax("<\(child.name)> inside <\(list)>; expected <\(element)>", at: child, file: file)
            }
            out.append(try read(child))
        }
        return out
    }

    /// The expression in the `<math>` child of `node`, or nil when there is no math (L3v2 allows that).
    func mathChild(_ node: XMLNode) throws -> MathExpression? {
        guard let m = node.child("math", in: MathMLReader.namespace) else { return nil }
        return try math.expression(inMath: m)
    }

    // MARK: Attributes

    /// A required attribute's text.
    func required(_ node: XMLNode, _ name: String) throws -> String {
        guard let value = node.attributes[name] else {
            throw SBMLError.syntax("\(SBMLError.describe(node)) has no '\(name)' attribute", at: node, file: file)
        }
        return value
    }

    /// The element's `id`, checked to be a valid SBML identifier.
    func id(_ node: XMLNode) throws -> String {
        try checkedSId(try required(node, "id"), attribute: "id", node)
    }

    func optionalId(_ node: XMLNode) throws -> String? {
        try sid(node, "id")
    }

    /// An optional attribute that must be an SBML identifier when present.
    func sid(_ node: XMLNode, _ name: String) throws -> String? {
        guard let value = node.attributes[name] else { return nil }
        return try checkedSId(value, attribute: name, node)
    }

    /// A required attribute that must be an SBML identifier.
    func requiredSId(_ node: XMLNode, _ name: String) throws -> String {
        try checkedSId(try required(node, name), attribute: name, node)
    }

    private func checkedSId(_ raw: String, attribute: String, _ node: XMLNode) throws -> String {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard SBMLModelReader.isValidSId(value) else {
            throw SBMLError.syntax("\(SBMLError.describe(node)): '\(attribute)' is '\(raw)', which is not a valid SBML identifier (a letter or '_' followed by letters, digits or '_')",
                                   at: node, file: file)
        }
        return value
    }

    /// SBML `SId` syntax: `(letter | '_') (letter | digit | '_')*`, ASCII only.
    static func isValidSId(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return false }
        func isLetter(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        guard isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return s.utf8.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") }
    }

    /// An optional numeric attribute.
    func double(_ node: XMLNode, _ name: String) throws -> Double? {
        guard let text = node.attributes[name] else { return nil }
        guard let value = SBMLNumber.parse(text) else {
            throw SBMLError.syntax("\(SBMLError.describe(node)): '\(name)' is '\(text)', which is not a number", at: node, file: file)
        }
        return value
    }

    /// An optional integer attribute.
    func integer(_ node: XMLNode, _ name: String) throws -> Int? {
        guard let text = node.attributes[name] else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw SBMLError.syntax("\(SBMLError.describe(node)): '\(name)' is '\(text)', which is not an integer", at: node, file: file)
        }
        return value
    }

    /// An optional Boolean attribute (`true`, `false`, `1`, `0`).
    func bool(_ node: XMLNode, _ name: String) throws -> Bool? {
        guard let text = node.attributes[name] else { return nil }
        switch text.trimmingCharacters(in: .whitespaces) {
        case "true", "1": return true
        case "false", "0": return false
        default:
            throw SBMLError.syntax("\(SBMLError.describe(node)): '\(name)' is '\(text)', which is not true or false", at: node, file: file)
        }
    }
}
