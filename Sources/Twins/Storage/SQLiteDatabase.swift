import CSQLite
import Foundation

/// A failure reported by SQLite, with the statement or file it concerns.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// A thin, synchronous wrapper over one SQLite connection (the system's libsqlite3).
///
/// Used only by `TwinStore`: one connection per open twin file, never shared between threads.
/// Every write the store makes runs inside `transaction(_:)`, so a crash mid-update leaves the
/// previous committed state (SQLite's rollback journal restores it on the next open).
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (and with `create`, creates) the database file at `path`.
    init(path: String, create: Bool) throws {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw SQLiteError(code: rc, message: "\(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 5000)
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA journal_mode = DELETE")
        try execute("PRAGMA synchronous = FULL")
    }

    deinit { sqlite3_close(handle) }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: "\(path): \(message) in: \(sql.prefix(80))")
        }
    }

    /// A bindable value.
    enum Value: Equatable {
        case integer(Int64)
        case real(Double)
        case text(String)
        case null
    }

    /// Runs `sql` with positional `?` parameters and returns every row.
    @discardableResult
    func query(_ sql: String, _ parameters: [Value] = []) throws -> [[Value]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw SQLiteError(code: sqlite3_errcode(handle), message: "\(path): \(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(80))")
        }
        defer { sqlite3_finalize(statement) }
        for (i, value) in parameters.enumerated() {
            let k = Int32(i + 1)
            switch value {
            case .integer(let v): sqlite3_bind_int64(statement, k, v)
            case .real(let v): sqlite3_bind_double(statement, k, v)
            case .text(let v): sqlite3_bind_text(statement, k, v, -1, SQLITE_TRANSIENT_PTR)
            case .null: sqlite3_bind_null(statement, k)
            }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw SQLiteError(code: rc, message: "\(path): \(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(80))")
            }
            let columns = sqlite3_column_count(statement)
            rows.append((0..<columns).map { c in
                switch sqlite3_column_type(statement, c) {
                case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, c))
                case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, c))
                case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, c)))
                default: return .null
                }
            })
        }
        return rows
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; any thrown error rolls everything back.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// SQLite's SQLITE_TRANSIENT (copy the bound text), which the C macro cannot express in Swift.
private let SQLITE_TRANSIENT_PTR = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension SQLiteDatabase.Value {
    var double: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        default: return nil
        }
    }
    var string: String? {
        if case .text(let s) = self { return s }
        return nil
    }
    var int: Int? {
        if case .integer(let v) = self { return Int(v) }
        return nil
    }
}
