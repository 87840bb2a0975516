import Foundation

/// The files of a trial output folder: `trial.yaml` (the spec as run), `shard.json`, `patients.csv`,
/// `trajectories.csv` (the report observable for a seeded subsample), `summary.json` and, for a whole trial,
/// `report.html`. Folders are never overwritten: an existing non-empty folder is refused.
public enum TrialOutput {
    /// Writes a run's files into `directory` (created).
    /// - Parameters:
    ///   - specDirectory: where the spec's relative model paths resolve (recorded for `merge`).
    ///   - report: renders `report.html` from the plan, rows, trajectories and summary (nil: no report).
    /// - Throws: `TrialError` when the folder exists and is not empty, or cannot be written.
    public static func write(_ result: TrialRunResult, plan: TrialPlan, programVersion: String, to directory: String,
                             specDirectory: String, report: ReportRenderer? = nil) throws {
        try prepare(directory)
        let summary = TrialSummary(plan: plan, programVersion: programVersion).json(result.rows)
        try save(plan.specText, directory, "trial.yaml")
        try save(JSONValue.object([("shard_index", .integer(result.shard.index)), ("shard_count", .integer(result.shard.count)),
                                   ("spec_hash", .string(plan.specHash)), ("seed", .string("\(plan.spec.seed)")),
                                   ("spec_directory", .string(specDirectory))]).rendered(), directory, "shard.json")
        try save(PatientTable(plan: plan).csv(result.rows), directory, "patients.csv")
        try save(trajectoryCSV(result.trajectories, plan: plan), directory, "trajectories.csv")
        try save(summary.rendered(), directory, "summary.json")
        if let report, result.shard.count == 1 {
            try save(report(plan, result.rows, result.trajectories, summary), directory, "report.html")
        }
    }

    /// Renders the HTML report.
    public typealias ReportRenderer = @Sendable (TrialPlan, [PatientRow], [TrajectoryRow], JSONValue) -> String

    /// A folder read back: its plan, rows and trajectories.
    public struct Loaded {
        public var plan: TrialPlan
        public var shard: Shard
        public var rows: [PatientRow]
        public var trajectories: [TrajectoryRow]
        public var specDirectory: String
    }

    /// Reads an output folder written by `write` (or `merge`).
    public static func load(_ directory: String) throws -> Loaded {
        let specText = try read(directory, "trial.yaml")
        let shardFile = directory + "/shard.json"
        guard let object = try? JSONSerialization.jsonObject(with: Data(try read(directory, "shard.json").utf8)) as? [String: Any],
              let index = object["shard_index"] as? Int, let count = object["shard_count"] as? Int,
              let specDirectory = object["spec_directory"] as? String else {
            throw TrialError("not a shard description (shard_index, shard_count, spec_directory)", file: shardFile)
        }
        let spec = try TrialSpec.parse(specText, file: directory + "/trial.yaml")
        let plan = try TrialPlan(spec, specText: specText, directory: URL(fileURLWithPath: specDirectory))
        let rows = try PatientTable(plan: plan).parse(try read(directory, "patients.csv"), file: directory + "/patients.csv")
        let trajectories = try parseTrajectories(try read(directory, "trajectories.csv"), plan: plan, file: directory + "/trajectories.csv")
        return Loaded(plan: plan, shard: Shard(index: index, count: count), rows: rows, trajectories: trajectories,
                      specDirectory: specDirectory)
    }

    /// Merges the shard folders of one trial into `directory`.
    /// - Throws: `TrialError` when the folders come from different specs or seeds, when a shard is missing or
    ///   given twice, or when the output folder exists and is not empty.
    public static func merge(_ directories: [String], into directory: String, programVersion: String,
                             report: ReportRenderer? = nil) throws {
        guard !directories.isEmpty else { throw TrialError("nothing to merge") }
        let parts = try directories.map(load)
        let first = parts[0]
        var seen = Set<Int>()
        for (p, dir) in zip(parts, directories) {
            guard p.plan.specHash == first.plan.specHash else {
                throw TrialError("was run from another spec (spec hash \(p.plan.specHash), not \(first.plan.specHash))", file: dir)
            }
            guard p.shard.count == first.shard.count else {
                throw TrialError("is shard \(p.shard) but \(directories[0]) is of \(first.shard.count) shards", file: dir)
            }
            guard seen.insert(p.shard.index).inserted else { throw TrialError("shard \(p.shard) is given twice", file: dir) }
        }
        let missing = (1...first.shard.count).filter { !seen.contains($0) }
        guard missing.isEmpty else {
            throw TrialError("shards \(missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")) are missing")
        }
        let ordered = parts.sorted { $0.shard.index < $1.shard.index }
        let rows = ordered.flatMap(\.rows).sorted { ($0.id, $0.arm) < ($1.id, $1.arm) }
        let trajectories = ordered.flatMap(\.trajectories).sorted { ($0.id, $0.arm) < ($1.id, $1.arm) }
        try write(TrialRunResult(shard: .whole, rows: rows, trajectories: trajectories), plan: first.plan,
                  programVersion: programVersion, to: directory, specDirectory: first.specDirectory, report: report)
    }

    /// Re-renders `report.html` of a whole-trial folder (refusing to overwrite an existing report).
    public static func report(_ directory: String, programVersion: String, renderer: ReportRenderer) throws {
        let loaded = try load(directory)
        guard loaded.shard.count == 1 else { throw TrialError("is one shard of \(loaded.shard.count); merge the shards first", file: directory) }
        let summary = TrialSummary(plan: loaded.plan, programVersion: programVersion).json(loaded.rows)
        let path = directory + "/report.html"
        guard !FileManager.default.fileExists(atPath: path) else { throw TrialError("already exists; remove it to render the report again", file: path) }
        try save(renderer(loaded.plan, loaded.rows, loaded.trajectories, summary), directory, "report.html")
    }

    static func trajectoryCSV(_ rows: [TrajectoryRow], plan: TrialPlan) -> String {
        var out = (["id", "arm"] + plan.grid.map { "t=" + format($0) }).joined(separator: ",") + "\n"
        for r in rows { out += (["\(r.id)", plan.spec.arms[r.arm].name] + r.values.map(format)).joined(separator: ",") + "\n" }
        return out
    }

    static func parseTrajectories(_ text: String, plan: TrialPlan, file: String) throws -> [TrajectoryRow] {
        let lines = text.split(separator: "\n").map(String.init)
        return try lines.dropFirst().enumerated().map { n, l in
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == plan.grid.count + 2, let id = Int(f[0]), let arm = plan.spec.arms.firstIndex(where: { $0.name == f[1] }) else {
                throw TrialError("malformed trajectory row", file: file, line: n + 2)
            }
            return TrajectoryRow(id: id, arm: arm, values: f.dropFirst(2).map { Double($0) ?? .nan })
        }
    }

    static func prepare(_ directory: String) throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw TrialError("exists and is not empty; choose another --out (results are never overwritten)", file: directory)
        }
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw TrialError("cannot be created: \(error.localizedDescription)", file: directory)
        }
    }

    static func save(_ text: String, _ directory: String, _ name: String) throws {
        let path = directory + "/" + name
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TrialError("cannot be written: \(error.localizedDescription)", file: path)
        }
    }

    static func read(_ directory: String, _ name: String) throws -> String {
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else { throw TrialError("is missing or unreadable", file: path) }
        return String(decoding: data, as: UTF8.self)
    }
}
