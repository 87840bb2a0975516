import Foundation

/// One assimilation step in a twin's history.
public struct TwinUpdate: Codable, Sendable {
    public var id: Int
    /// `create` or `observe`.
    public var kind: String
    /// ISO 8601 wall-clock time of the update (provenance only).
    public var created: String
    /// Observations added by this update.
    public var addedObservations: Int
    public var posterior: LaplacePosterior
    /// Human-readable description of what changed (per parameter: mode and SD before → after).
    public var changes: [String]
    public var programVersion: String
}

/// A twin file: one SQLite database holding the prior, the model source, every observation (with the update that
/// brought it), every posterior (and MCMC samples when requested) and the history of updates, with provenance.
///
/// Every change is a single transaction: a crash (or an error) in the middle of an update leaves the previous
/// state intact. `create` builds the file under a temporary name next to the target and renames it into place
/// only when complete, and refuses to replace an existing file.
public final class TwinStore {
    public static let formatVersion = "1"
    let db: SQLiteDatabase
    public let path: String

    private init(db: SQLiteDatabase, path: String) {
        self.db = db
        self.path = path
    }

    /// Creates a new twin file at `path` with its first posterior.
    /// - Throws: `TwinError.storage` if `path` exists (a twin is never overwritten) or cannot be written.
    public static func create(path: String, prior: TwinPrior, modelSource: String, modelHash: String,
                              observations: [PatientObservation], posterior: LaplacePosterior, mcmc: TwinMCMC? = nil,
                              changes: [String], programVersion: String) throws -> TwinStore {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path) else {
            throw TwinError.storage("\(path) already exists; a twin is never overwritten (use `twin patient observe` to update it)")
        }
        let temporary = path + ".creating-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: temporary)
        do {
            let db = try SQLiteDatabase(path: temporary, create: true)
            try db.transaction {
                try db.execute("""
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE updates (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, created TEXT NOT NULL,
                        added_observations INTEGER NOT NULL, posterior_json TEXT NOT NULL, changes_json TEXT NOT NULL,
                        program_version TEXT NOT NULL);
                    CREATE TABLE observations (id INTEGER PRIMARY KEY AUTOINCREMENT,
                        update_id INTEGER NOT NULL REFERENCES updates(id), time REAL NOT NULL, observable TEXT NOT NULL,
                        value REAL NOT NULL, sd REAL, source TEXT NOT NULL);
                    CREATE TABLE samples (update_id INTEGER PRIMARY KEY REFERENCES updates(id), mcmc_json TEXT NOT NULL);
                    """)
                let meta: [(String, String)] = [
                    ("format_version", formatVersion), ("prior_json", try json(prior)), ("model_source", modelSource),
                    ("model_hash", modelHash), ("created_by", programVersion),
                ]
                for (k, v) in meta { try db.query("INSERT INTO meta VALUES (?, ?)", [.text(k), .text(v)]) }
                try insertUpdate(db, kind: "create", observations: observations, posterior: posterior, mcmc: mcmc, changes: changes,
                                 programVersion: programVersion)
            }
        } catch {
            try? fm.removeItem(atPath: temporary)
            throw TwinError.storage("cannot create \(path): \(error)")
        }
        // link(2) fails if the target exists, so a twin created meanwhile by someone else is not replaced
        guard link(temporary, path) == 0 else {
            try? fm.removeItem(atPath: temporary)
            throw TwinError.storage("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        try? fm.removeItem(atPath: temporary)
        return try open(path: path)
    }

    /// Opens an existing twin file.
    public static func open(path: String) throws -> TwinStore {
        guard FileManager.default.fileExists(atPath: path) else { throw TwinError.storage("no such twin file: \(path)") }
        let db: SQLiteDatabase
        do { db = try SQLiteDatabase(path: path, create: false) } catch { throw TwinError.storage("\(error)") }
        let store = TwinStore(db: db, path: path)
        guard (try? store.meta("format_version")) == formatVersion else {
            throw TwinError.storage("\(path) is not a twin file of format \(formatVersion)")
        }
        return store
    }

    func meta(_ key: String) throws -> String {
        guard let v = try db.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).first?.first?.string else {
            throw TwinError.storage("\(path): missing \(key)")
        }
        return v
    }

    public func prior() throws -> TwinPrior { try JSONDecoder().decode(TwinPrior.self, from: Data(try meta("prior_json").utf8)) }
    public func modelSource() throws -> String { try meta("model_source") }
    public func modelHash() throws -> String { try meta("model_hash") }

    /// Every observation, in the order they were added.
    public func observations() throws -> [PatientObservation] {
        try db.query("SELECT time, observable, value, sd, source FROM observations ORDER BY id").map {
            PatientObservation(time: $0[0].double ?? .nan, observable: $0[1].string ?? "", value: $0[2].double ?? .nan,
                               sd: $0[3].double, source: $0[4].string ?? "")
        }
    }

    /// The history of updates, oldest first.
    public func history() throws -> [TwinUpdate] {
        try db.query("SELECT id, kind, created, added_observations, posterior_json, changes_json, program_version FROM updates ORDER BY id").map {
            TwinUpdate(id: $0[0].int ?? 0, kind: $0[1].string ?? "", created: $0[2].string ?? "", addedObservations: $0[3].int ?? 0,
                       posterior: try JSONDecoder().decode(LaplacePosterior.self, from: Data(($0[4].string ?? "").utf8)),
                       changes: try JSONDecoder().decode([String].self, from: Data(($0[5].string ?? "[]").utf8)),
                       programVersion: $0[6].string ?? "")
        }
    }

    /// The current posterior (that of the latest update).
    public func posterior() throws -> LaplacePosterior {
        guard let last = try history().last else { throw TwinError.storage("\(path) has no posterior") }
        return last.posterior
    }

    /// The MCMC samples of the latest update, when that update ran MCMC.
    public func latestSamples() throws -> TwinMCMC? {
        guard let row = try db.query("SELECT s.mcmc_json FROM samples s WHERE s.update_id = (SELECT max(id) FROM updates)").first,
              let text = row.first?.string else { return nil }
        return try JSONDecoder().decode(TwinMCMC.self, from: Data(text.utf8))
    }

    /// Adds observations and the posterior computed from all of them, in one transaction.
    public func recordUpdate(observations: [PatientObservation], posterior: LaplacePosterior, mcmc: TwinMCMC? = nil,
                             changes: [String], programVersion: String) throws {
        do {
            try db.transaction {
                try TwinStore.insertUpdate(db, kind: "observe", observations: observations, posterior: posterior, mcmc: mcmc,
                                           changes: changes, programVersion: programVersion)
            }
        } catch let e as TwinError { throw e } catch { throw TwinError.storage("\(path): update not recorded: \(error)") }
    }

    private static func insertUpdate(_ db: SQLiteDatabase, kind: String, observations: [PatientObservation],
                                     posterior: LaplacePosterior, mcmc: TwinMCMC?, changes: [String], programVersion: String) throws {
        let stamp = ISO8601DateFormatter().string(from: Date())
        try db.query("INSERT INTO updates (kind, created, added_observations, posterior_json, changes_json, program_version) VALUES (?, ?, ?, ?, ?, ?)",
                     [.text(kind), .text(stamp), .integer(Int64(observations.count)), .text(try json(posterior)),
                      .text(try json(changes)), .text(programVersion)])
        guard let id = try db.query("SELECT last_insert_rowid()").first?.first?.int else {
            throw TwinError.storage("no update id")
        }
        if let mcmc {
            try db.query("INSERT INTO samples (update_id, mcmc_json) VALUES (?, ?)", [.integer(Int64(id)), .text(try json(mcmc))])
        }
        for o in observations {
            try db.query("INSERT INTO observations (update_id, time, observable, value, sd, source) VALUES (?, ?, ?, ?, ?, ?)",
                         [.integer(Int64(id)), .real(o.time), .text(o.observable), .real(o.value), o.sd.map { .real($0) } ?? .null,
                          .text(o.source)])
        }
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
