import Foundation
import ModelIR
import Yams

/// Reads PEtab v1 problems: the problem YAML, the SBML model and the TSV tables.
///
/// ```swift
/// let problem = try PEtabReader.read(contentsOf: URL(fileURLWithPath: "Boehm_JProteomeRes2014.yaml"))
/// print(problem.measurements.count)   // 48
/// ```
///
/// Checked: `format_version` is 1; exactly one problem with exactly one SBML file (several condition,
/// observable and measurement files are concatenated); required columns are present; numbers parse;
/// scales, transformations and distributions are known; measurements refer to defined observables and
/// conditions; bounds are ordered. Not checked here: that formulas refer to defined symbols (the
/// objective does that when it resolves them).
///
/// - Throws: `PEtabError` naming the file, line and column; SBML errors from `SBMLReader` for the model.
public enum PEtabReader {
    public static func read(contentsOf url: URL) throws -> PEtabProblem {
        let yamlName = url.lastPathComponent
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw PEtabError(file: yamlName, message: "cannot read \(url.path)")
        }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw PEtabError(file: yamlName, message: "not valid YAML: \(error)")
        }
        guard let top = root as? [String: Any] else { throw PEtabError(file: yamlName, message: "expected a mapping at the top level") }
        let version = top["format_version"].map { "\($0)" } ?? ""
        guard version == "1" || version.hasPrefix("1.") else {
            throw PEtabError(file: yamlName, message: "format_version '\(version)' is not supported (PEtab v1 only)")
        }
        guard let parameterFile = top["parameter_file"] as? String else {
            throw PEtabError(file: yamlName, message: "parameter_file is missing")
        }
        guard let problems = top["problems"] as? [[String: Any]], !problems.isEmpty else {
            throw PEtabError(file: yamlName, message: "problems is missing or empty")
        }
        guard problems.count == 1 else {
            throw PEtabError(file: yamlName, message: "\(problems.count) problems: only one problem per YAML is supported")
        }
        let p = problems[0]
        func files(_ key: String) throws -> [String] {
            guard let list = p[key] as? [String], !list.isEmpty else {
                throw PEtabError(file: yamlName, message: "problems[0].\(key) is missing or empty")
            }
            return list
        }
        let sbml = try files("sbml_files")
        guard sbml.count == 1 else {
            throw PEtabError(file: yamlName, message: "\(sbml.count) sbml_files: only one model per problem is supported")
        }
        let directory = url.deletingLastPathComponent()
        func table(_ name: String) throws -> TSVTable {
            try TSVTable(contentsOf: directory.appendingPathComponent(name), name: name)
        }
        let model = try SBMLReader.read(contentsOf: directory.appendingPathComponent(sbml[0]))
        let conditions = try files("condition_files").flatMap { try readConditions(table($0)) }
        let observables = try files("observable_files").flatMap { try readObservables(table($0)) }
        let parameters = try readParameters(table(parameterFile))
        var measurements: [PEtabMeasurement] = []
        for name in try files("measurement_files") {
            measurements += try readMeasurements(table(name), observables: Set(observables.map(\.id)),
                                                 conditions: Set(conditions.map(\.id)))
        }
        return PEtabProblem(directory: directory, modelFile: sbml[0], model: model, conditions: conditions,
                            observables: observables, measurements: measurements, parameters: parameters)
    }

    /// Reads a PEtab parameter table on its own (e.g. the `parameters.tsv` of an earlier fit, to start from).
    /// - Throws: `PEtabError` naming the file, line and column, as for the problem's own table.
    public static func readParameterTable(contentsOf url: URL) throws -> [PEtabParameter] {
        try readParameters(TSVTable(contentsOf: url, name: url.lastPathComponent))
    }

    static func readConditions(_ t: TSVTable) throws -> [PEtabCondition] {
        try t.require("conditionId")
        let targets = t.columns.filter { $0 != "conditionId" && $0 != "conditionName" && !$0.isEmpty }
        var seen = Set<String>()
        return try t.rows.indices.map { r in
            let id = try t.text(r, "conditionId")
            guard seen.insert(id).inserted else { throw t.error(r, "conditionId", "duplicate condition '\(id)'") }
            let overrides: [(target: String, value: PEtabValue?)] = targets.map { column in
                let cell = t.cell(r, column)
                if cell.isEmpty || cell.lowercased() == "nan" { return (column, nil) }
                return (column, PEtabValue(cell))
            }
            let name = t.cell(r, "conditionName")
            return PEtabCondition(id: id, name: name.isEmpty ? nil : name, overrides: overrides)
        }
    }

    static func readObservables(_ t: TSVTable) throws -> [PEtabObservable] {
        try t.require("observableId", "observableFormula", "noiseFormula")
        var seen = Set<String>()
        return try t.rows.indices.map { r in
            let id = try t.text(r, "observableId")
            guard seen.insert(id).inserted else { throw t.error(r, "observableId", "duplicate observable '\(id)'") }
            let transformationText = t.cell(r, "observableTransformation")
            guard let transformation = PEtabTransformation(rawValue: transformationText.isEmpty ? "lin" : transformationText) else {
                throw t.error(r, "observableTransformation", "'\(transformationText)' is not lin, log or log10")
            }
            let distributionText = t.cell(r, "noiseDistribution")
            guard let distribution = PEtabNoiseDistribution(rawValue: distributionText.isEmpty ? "normal" : distributionText) else {
                throw t.error(r, "noiseDistribution", "'\(distributionText)' is not normal or laplace")
            }
            let name = t.cell(r, "observableName")
            return PEtabObservable(id: id, name: name.isEmpty ? nil : name,
                                   formula: try formula(t, r, "observableFormula"),
                                   noiseFormula: try formula(t, r, "noiseFormula"),
                                   transformation: transformation, distribution: distribution)
        }
    }

    private static func formula(_ t: TSVTable, _ r: Int, _ column: String) throws -> MathExpression {
        let text = try t.text(r, column)
        do {
            return try ExpressionParser.parse(text)
        } catch {
            throw t.error(r, column, "cannot parse '\(text)': \(error)")
        }
    }

    static func readMeasurements(_ t: TSVTable, observables: Set<String>, conditions: Set<String>) throws -> [PEtabMeasurement] {
        try t.require("observableId", "simulationConditionId", "measurement", "time")
        return try t.rows.indices.map { r in
            let observable = try t.text(r, "observableId")
            guard observables.contains(observable) else { throw t.error(r, "observableId", "unknown observable '\(observable)'") }
            let simulation = try t.text(r, "simulationConditionId")
            guard conditions.contains(simulation) else { throw t.error(r, "simulationConditionId", "unknown condition '\(simulation)'") }
            let pre = t.cell(r, "preequilibrationConditionId")
            if !pre.isEmpty && !conditions.contains(pre) {
                throw t.error(r, "preequilibrationConditionId", "unknown condition '\(pre)'")
            }
            let value = try t.number(r, "measurement")
            guard !value.isNaN else { throw t.error(r, "measurement", "the measurement is NaN") }
            let time = try t.number(r, "time")
            guard time >= 0, !time.isNaN, time != -.infinity else { throw t.error(r, "time", "time must be non-negative or inf") }
            func list(_ column: String) -> [PEtabValue] {
                let cell = t.cell(r, column)
                if cell.isEmpty { return [] }
                return cell.split(separator: ";").map { PEtabValue($0.trimmingCharacters(in: .whitespaces)) }
            }
            let dataset = t.cell(r, "datasetId"), replicate = t.cell(r, "replicateId")
            return PEtabMeasurement(observableId: observable, preequilibrationConditionId: pre.isEmpty ? nil : pre,
                                    simulationConditionId: simulation, value: value, time: time,
                                    observableParameters: list("observableParameters"), noiseParameters: list("noiseParameters"),
                                    datasetId: dataset.isEmpty ? nil : dataset, replicateId: replicate.isEmpty ? nil : replicate,
                                    line: t.lines[r], file: t.file)
        }
    }

    static func readParameters(_ t: TSVTable) throws -> [PEtabParameter] {
        try t.require("parameterId", "parameterScale", "nominalValue", "estimate")
        var seen = Set<String>()
        return try t.rows.indices.map { r in
            let id = try t.text(r, "parameterId")
            guard seen.insert(id).inserted else { throw t.error(r, "parameterId", "duplicate parameter '\(id)'") }
            let scaleText = t.cell(r, "parameterScale")
            guard let scale = PEtabScale(rawValue: scaleText) else {
                throw t.error(r, "parameterScale", "'\(scaleText)' is not lin, log or log10")
            }
            let estimateText = t.cell(r, "estimate")
            guard estimateText == "0" || estimateText == "1" else { throw t.error(r, "estimate", "'\(estimateText)' is not 0 or 1") }
            let estimate = estimateText == "1"
            let nominal = try t.number(r, "nominalValue", empty: .nan)
            if !estimate && nominal.isNaN { throw t.error(r, "nominalValue", "a fixed parameter needs a nominal value") }
            let lower = try t.number(r, "lowerBound", empty: estimate ? nil : -.infinity)
            let upper = try t.number(r, "upperBound", empty: estimate ? nil : .infinity)
            if estimate {
                guard lower <= upper else { throw t.error(r, "upperBound", "upper bound \(upper) is below lower bound \(lower)") }
                if scale != .lin && !(lower > 0) {
                    throw t.error(r, "lowerBound", "a \(scale.rawValue)-scaled parameter needs a positive lower bound, got \(lower)")
                }
            }
            let name = t.cell(r, "parameterName")
            return PEtabParameter(id: id, name: name.isEmpty ? nil : name, scale: scale, lowerBound: lower, upperBound: upper,
                                  nominalValue: nominal, estimate: estimate, prior: try prior(t, r))
        }
    }

    private static func prior(_ t: TSVTable, _ r: Int) throws -> PEtabPrior? {
        let type = t.cell(r, "objectivePriorType")
        guard !type.isEmpty else { return nil }
        guard let kind = PEtabPrior.Kind(rawValue: type) else {
            throw t.error(r, "objectivePriorType", "unknown prior '\(type)' (expected one of \(PEtabPrior.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let values = t.cell(r, "objectivePriorParameters").split(separator: ";").map { TSVTable.parseNumber($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 2, let a = values[0], let b = values[1], a.isFinite, b.isFinite else {
            throw t.error(r, "objectivePriorParameters", "expected two numbers separated by ';'")
        }
        return PEtabPrior(kind: kind, parameters: (a, b))
    }
}
