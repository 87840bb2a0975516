import ModelIR

extension SBMLModelReader {
    func compartment(_ node: XMLNode) throws -> Compartment {
        let id = try id(node)
        let dimensions = try double(node, "spatialDimensions") ?? 3
        guard dimensions.isFinite, dimensions >= 0 else {
            throw SBMLError.syntax("<compartment id=\"\(id)\">: spatialDimensions must be a non-negative number", at: node, file: file)
        }
        if level == 2 && ![0, 1, 2, 3].contains(dimensions) {
            throw SBMLError.syntax("<compartment id=\"\(id)\">: Level 2 spatialDimensions must be 0, 1, 2 or 3", at: node, file: file)
        }
        return Compartment(id: id, name: node.attributes["name"], size: try double(node, "size"),
                           spatialDimensions: dimensions, constant: try bool(node, "constant") ?? true,
                           units: node.attributes["units"])
    }

    func species(_ node: XMLNode) throws -> Species {
        let id = try id(node)
        let amount = try double(node, "initialAmount")
        let concentration = try double(node, "initialConcentration")
        if amount != nil && concentration != nil {
            throw SBMLError.syntax("<species id=\"\(id)\"> sets both initialAmount and initialConcentration", at: node, file: file)
        }
        return Species(id: id, name: node.attributes["name"], compartment: try requiredSId(node, "compartment"),
                       initialAmount: amount, initialConcentration: concentration,
                       hasOnlySubstanceUnits: try bool(node, "hasOnlySubstanceUnits") ?? false,
                       boundaryCondition: try bool(node, "boundaryCondition") ?? false,
                       constant: try bool(node, "constant") ?? false,
                       conversionFactor: level >= 3 ? try sid(node, "conversionFactor") : nil,
                       units: node.attributes["substanceUnits"])
    }

    /// A global parameter, or (with `local`) a kinetic-law parameter, which is always constant.
    func parameter(_ node: XMLNode, local: Bool) throws -> Parameter {
        Parameter(id: try id(node), name: node.attributes["name"], value: try double(node, "value"),
                  constant: local ? true : try bool(node, "constant") ?? true, units: node.attributes["units"])
    }

    /// The unit definitions, encoded into metadata entries by `SBMLUnits`.
    func unitMetadata(_ model: XMLNode) throws -> [String: String] {
        var metadata: [String: String] = [:]
        let definitions = try items(model, "listOfUnitDefinitions", "unitDefinition") { node -> (String, [SBMLUnits.Unit]) in
            let id = try id(node)
            let units = try items(node, "listOfUnits", "unit") { unit in
                SBMLUnits.Unit(kind: try required(unit, "kind").trimmingCharacters(in: .whitespaces),
                               exponent: try double(unit, "exponent") ?? 1,
                               scale: try integer(unit, "scale") ?? 0,
                               multiplier: try double(unit, "multiplier") ?? 1)
            }
            return (id, units)
        }
        for (id, units) in definitions { metadata[SBMLUnits.definitionKey(id)] = SBMLUnits.encode(units) }
        return metadata
    }
}

/// How SBML unit definitions are carried in `Model.metadata`, so they survive a read–write round trip.
///
/// Each definition is one entry: key `sbml.unitDefinition.ID`, value the units separated by spaces, each
/// written `kind:exponent:scale:multiplier` (for example `second:-1:0:1` for "per second" and
/// `second:1:0:3600` for "hour"). Model-level unit attributes (`substanceUnits`, `volumeUnits`, ...) are
/// kept under `sbml.substanceUnits` and so on. Units are informational: nothing checks or converts them.
public enum SBMLUnits {
    /// One factor of a unit definition: `(multiplier · 10^scale · kind)^exponent`.
    public struct Unit: Hashable, Sendable {
        public var kind: String
        public var exponent: Double
        public var scale: Int
        public var multiplier: Double
        public init(kind: String, exponent: Double = 1, scale: Int = 0, multiplier: Double = 1) {
            self.kind = kind
            self.exponent = exponent
            self.scale = scale
            self.multiplier = multiplier
        }
    }

    static let definitionPrefix = "sbml.unitDefinition."

    /// The metadata key of the unit definition with id `id`.
    public static func definitionKey(_ id: String) -> String { definitionPrefix + id }

    /// The metadata key of a model-level unit attribute (`substanceUnits`, `timeUnits` is `Model.timeUnit`).
    public static func modelAttributeKey(_ attribute: String) -> String { "sbml." + attribute }

    /// Encodes units as the metadata value.
    public static func encode(_ units: [Unit]) -> String {
        units.map { "\($0.kind):\(SBMLNumberFormat.text($0.exponent)):\($0.scale):\(SBMLNumberFormat.text($0.multiplier))" }
            .joined(separator: " ")
    }

    /// Decodes a metadata value; nil when it is not in the format `encode` writes.
    public static func decode(_ text: String) -> [Unit]? {
        var out: [Unit] = []
        for part in text.split(separator: " ") {
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 4, let e = SBMLNumber.parse(String(fields[1])), let s = Int(fields[2]),
                  let m = SBMLNumber.parse(String(fields[3])) else { return nil }
            out.append(Unit(kind: String(fields[0]), exponent: e, scale: s, multiplier: m))
        }
        return out
    }

    /// The unit definitions held in `metadata`, sorted by id.
    public static func definitions(in metadata: [String: String]) -> [(id: String, units: [Unit])] {
        metadata.keys.sorted().compactMap { key in
            guard key.hasPrefix(definitionPrefix), let value = metadata[key], let units = decode(value) else { return nil }
            return (String(key.dropFirst(definitionPrefix.count)), units)
        }
    }
}

/// Formats numbers for SBML attributes so that reading them back gives the same `Double`.
enum SBMLNumberFormat {
    static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "INF" : "-INF" }
        return MathExpression.format(v)
    }
}
