import Foundation
import ModelIR

/// Reads SBML Level 2 (versions 1–5) and Level 3 (versions 1–2) core documents into a `Model`.
///
/// What is read: compartments, species, parameters, unit definitions (kept in `Model.metadata`, see
/// `SBMLUnits`), initial assignments, assignment/rate/algebraic rules, reactions (reactants, products,
/// modifiers, stoichiometry, L3 species-reference ids, L2 `stoichiometryMath`, kinetic laws with local
/// parameters, `reversible`, `fast`), function definitions, events (trigger `initialValue`/`persistent`,
/// delay, priority, `useValuesFromTriggerTime`), conversion factors, the model's `timeUnits` and notes.
/// Mathematics is read by `MathMLReader` (full SBML MathML subset). Constraints, annotations and
/// optional packages are ignored; a package declared `required="true"` is refused.
///
/// Defaults for absent attributes. Level 2 uses its specification's defaults: compartment
/// `spatialDimensions` 3, `constant` true, `size` 1 (except for 0-dimensional compartments and those set by
/// an initial assignment or assignment rule); species `hasOnlySubstanceUnits`, `boundaryCondition` and
/// `constant` false; parameter `constant` true; reaction `reversible` true, `fast` false; stoichiometry 1;
/// event trigger `initialValue` and `persistent` true, `useValuesFromTriggerTime` true. Level 3 has no
/// defaults for required attributes; where one is missing the reader chooses: `spatialDimensions` 3, size
/// left unset, compartment and parameter `constant` true, species flags false, `reversible` true,
/// stoichiometry unset (1 unless a rule or initial assignment sets it), species-reference `constant` true,
/// and the three event flags true.
///
/// Elements whose `<math>` is missing (allowed in L3v2) are dropped: a rule, initial assignment or event
/// assignment without math has no effect, an event without a trigger never fires, a missing delay or
/// priority is no delay or priority, a reaction without kinetic-law math has no kinetic law.
///
/// Safety: external entities are never resolved, documents with a DOCTYPE or ENTITY declaration are
/// refused before parsing, documents over `maximumDocumentBytes` and elements nested deeper than
/// `maximumNestingDepth` are refused. The reader never traps on input data.
public enum SBMLReader {
    /// The largest document the reader accepts (100 MiB).
    public static let maximumDocumentBytes = 100 * 1024 * 1024
    /// The deepest element nesting the reader accepts.
    public static let maximumNestingDepth = 256

    /// Reads the SBML file at `url`.
    /// - Throws: Foundation's error when the file cannot be read; otherwise as `read(data:file:)`.
    public static func read(contentsOf url: URL) throws -> Model {
        try read(data: try load(url), file: url.path)
    }

    /// Reads an SBML document held in a string. `file` names the source in error messages.
    /// - Throws: as `read(data:file:)`.
    public static func read(string: String, file: String? = nil) throws -> Model {
        try read(data: Data(string.utf8), file: file)
    }

    /// Reads an SBML document from its bytes. `file` names the source in error messages.
    /// - Throws: `ModelError.syntax` (with line and column) for malformed XML, refused declarations,
    ///   oversize or over-deep documents, missing or malformed attributes and bad MathML;
    ///   `ModelError.unsupported` for Level 1, unknown levels and versions, and required packages;
    ///   `ModelErrors` listing every undefined or duplicate id and every invalid reference
    ///   (from `Model.validate()`).
    public static func read(data: Data, file: String? = nil) throws -> Model {
        let document = try SafeXMLParser.parse(data, file: file, limits: limits)
        let info = try documentInfo(document, file: file)
        if let required = info.packages.first(where: \.required) {
            throw ModelError.unsupported(element: "SBML package '\(required.name)' (\(required.namespace))",
                                         reason: "the document requires it and only SBML core is supported")
        }
        let reader = SBMLModelReader(level: info.level, version: info.version,
                                     namespace: document.root.namespace, file: file)
        guard let modelNode = document.root.child("model", in: document.root.namespace) else {
            throw SBMLError.syntax("the <sbml> element contains no <model>", at: document.root, file: file)
        }
        let model = try reader.readModel(modelNode)
        try model.validate()
        return model
    }

    /// The level, version and packages of the SBML document at `url`, read from its root element only.
    /// - Throws: as `inspect(data:file:)`.
    public static func inspect(contentsOf url: URL) throws -> SBMLDocumentInfo {
        try inspect(data: try load(url), file: url.path)
    }

    /// The level, version and packages of an SBML document, read from its root element only (cheap:
    /// parsing stops after the root's start tag). Use it to decide whether to read a document.
    /// - Throws: `ModelError.syntax` for malformed XML or a root that is not `<sbml>`,
    ///   `ModelError.unsupported` for levels and versions the reader does not handle.
    public static func inspect(data: Data, file: String? = nil) throws -> SBMLDocumentInfo {
        try documentInfo(try SafeXMLParser.parse(data, file: file, limits: limits, rootOnly: true), file: file)
    }

    static let limits = XMLLimits(maximumBytes: maximumDocumentBytes, maximumDepth: maximumNestingDepth)

    private static func load(_ url: URL) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumDocumentBytes else {
            throw SBMLError.xml("the document is \(size) bytes, more than the limit of \(maximumDocumentBytes) bytes",
                                line: 1, column: 1, file: url.path)
        }
        return try Data(contentsOf: url)
    }

    /// The SBML core namespaces by (level, version).
    static let coreNamespaces: [String: (level: Int, version: Int)] = [
        "http://www.sbml.org/sbml/level2": (2, 1),
        "http://www.sbml.org/sbml/level2/version2": (2, 2),
        "http://www.sbml.org/sbml/level2/version3": (2, 3),
        "http://www.sbml.org/sbml/level2/version4": (2, 4),
        "http://www.sbml.org/sbml/level2/version5": (2, 5),
        "http://www.sbml.org/sbml/level3/version1/core": (3, 1),
        "http://www.sbml.org/sbml/level3/version2/core": (3, 2),
    ]

    private static func documentInfo(_ document: SafeXMLParser.Document, file: String?) throws -> SBMLDocumentInfo {
        let root = document.root
        guard root.name == "sbml" else {
            throw SBMLError.syntax("the root element is <\(root.name)>, not <sbml>", at: root, file: file)
        }
        let level = root.attributes["level"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let version = root.attributes["version"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard let core = coreNamespaces[root.namespace] else {
            if level == 1 || root.namespace == "http://www.sbml.org/sbml/level1" {
                throw ModelError.unsupported(element: "SBML Level 1", reason: "convert the document to Level 2 or 3")
            }
            throw ModelError.unsupported(element: "<sbml> in namespace '\(root.namespace)' (level \(level.map(String.init) ?? "?"), version \(version.map(String.init) ?? "?"))",
                                         reason: "supported are SBML Level 2 versions 1–5 and Level 3 versions 1–2 core")
        }
        if let level, let version, (level, version) != core {
            throw SBMLError.syntax("<sbml level=\"\(level)\" version=\"\(version)\"> does not match its namespace \(root.namespace)",
                                   at: root, file: file)
        }
        var packages: [SBMLPackage] = []
        for (prefix, uri) in document.rootPrefixes.sorted(by: { $0.key < $1.key }) {
            guard let name = packageName(uri) else { continue }
            let required = root.attributes["\(prefix):required"]?.trimmingCharacters(in: .whitespaces)
            packages.append(SBMLPackage(name: name, namespace: uri, required: required == "true" || required == "1"))
        }
        return SBMLDocumentInfo(level: core.level, version: core.version, packages: packages)
    }

    /// The package name in a Level 3 package namespace (`.../level3/version1/fbc/version2` → `fbc`).
    static func packageName(_ uri: String) -> String? {
        let prefix = "http://www.sbml.org/sbml/level3/version"
        guard uri.hasPrefix(prefix) else { return nil }
        let parts = uri.dropFirst(prefix.count).split(separator: "/")
        guard parts.count >= 2, parts[1] != "core" else { return nil }
        return String(parts[1])
    }
}

/// What an SBML document's root element declares.
public struct SBMLDocumentInfo: Hashable, Sendable {
    /// The SBML level (2 or 3).
    public var level: Int
    /// The version within the level.
    public var version: Int
    /// The Level 3 packages whose namespaces the document declares.
    public var packages: [SBMLPackage]
}

/// An SBML Level 3 package a document declares.
public struct SBMLPackage: Hashable, Sendable {
    /// The package's short name (`fbc`, `comp`, `layout`, ...).
    public var name: String
    /// The package namespace URI.
    public var namespace: String
    /// Whether the document marks the package `required="true"` (its content changes the model's
    /// mathematical meaning, so a core-only reader must refuse it).
    public var required: Bool
}
