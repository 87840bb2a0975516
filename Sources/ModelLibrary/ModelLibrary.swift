import Foundation
import ModelFormats
import ModelIR

/// The built-in immune models: project-owned Antimony sources with curated metadata.
///
/// Each model `NAME` is two resources, `Models/NAME.ant` (the equations, parameters and initial
/// values) and `Models/NAME.json` (citation, units, treatment inputs, observables, population
/// variability defaults and the published checks with their confidence tags), decoded as a
/// ``LibraryEntry``.
///
/// ```swift
/// let model = try ModelLibrary.model(named: "reynolds2006")   // a ModelIR.Model
/// print(try ModelLibrary.entry(named: "reynolds2006").describe())
/// ```
public enum ModelLibrary {
    /// The names of all built-in models, sorted (e.g. `["baccam2006", "crauste2017", ...]`).
    ///
    /// A name is listed when both `NAME.ant` and `NAME.json` are present in the resources.
    public static var names: [String] { catalogue.names }

    /// The metadata of a built-in model.
    /// - Parameter name: a name from ``names``.
    /// - Returns: the decoded `NAME.json`.
    /// - Throws: ``ModelLibraryError/unknownModel(name:available:)`` for a name not in ``names``;
    ///   ``ModelLibraryError/invalidMetadata(name:reason:)`` when the JSON does not decode.
    public static func entry(named name: String) throws -> LibraryEntry {
        let data = try resource(name, extension: "json")
        do {
            return try JSONDecoder().decode(LibraryEntry.self, from: data)
        } catch {
            throw ModelLibraryError.invalidMetadata(name: name, reason: String(describing: error))
        }
    }

    /// The Antimony source text of a built-in model (what `twin models export NAME --format antimony`
    /// prints).
    /// - Throws: ``ModelLibraryError/unknownModel(name:available:)`` for a name not in ``names``.
    public static func antimonySource(named name: String) throws -> String {
        let data = try resource(name, extension: "ant")
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelLibraryError.unreadableResource(name: name, file: "\(name).ant")
        }
        return text
    }

    /// A built-in model parsed into the intermediate representation.
    ///
    /// The model's `metadata` gains `citation`, `doi` and `library.name`; its `timeUnit` is the one
    /// the source declares (`unit time_unit = ...`), nil where the unit is unconfirmed.
    /// - Throws: ``ModelLibraryError`` for an unknown name or unreadable resource; the Antimony
    ///   reader's `ModelError` if the source does not parse (a bug the library tests catch).
    public static func model(named name: String) throws -> Model {
        let source = try antimonySource(named: name)
        var model = try AntimonyReader.read(string: source, file: "\(name).ant")
        let entry = try entry(named: name)
        model.metadata["library.name"] = name
        model.metadata["citation"] = entry.citation.reference
        if let doi = entry.citation.doi { model.metadata["doi"] = doi }
        return model
    }

    private static func resource(_ name: String, extension ext: String) throws -> Data {
        guard catalogue.names.contains(name), let directory = catalogue.directory else {
            throw ModelLibraryError.unknownModel(name: name, available: catalogue.names)
        }
        let url = directory.appendingPathComponent("\(name).\(ext)")
        guard let data = try? Data(contentsOf: url) else {
            throw ModelLibraryError.unreadableResource(name: name, file: url.lastPathComponent)
        }
        return data
    }

    /// The resource folder and the model names found in it, computed once.
    private static let catalogue: (directory: URL?, names: [String]) = {
        guard let directory = Bundle.module.url(forResource: "Models", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return (nil, []) }
        let sources = Set(files.filter { $0.hasSuffix(".ant") }.map { String($0.dropLast(4)) })
        let metadata = Set(files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
        return (directory, sources.intersection(metadata).sorted())
    }()
}
