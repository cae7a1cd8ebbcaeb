import Foundation
import GRDB
import KamwatchVocabulary
import Synchronization

/// The daemon's embedded database: open alerts, the transition log, digest bookkeeping.
///
/// A file store runs in WAL mode, so `kamwatch digest` reads while the daemon writes.
/// Every method is synchronous and thread-safe.
public final class StateStore: Sendable {
    /// File name of the database inside the state directory.
    public static let fileName = "kamwatch.sqlite"

    let db: any DatabaseWriter
    /// The database file, or `nil` in memory.
    public let path: String?
    /// The whole-file integrity check, when opening left it for later (see `Check`).
    private let deferredCheck: Mutex<DeferredCheck>

    /// How much of the file opening checks for damage (`PRAGMA quick_check`).
    public enum Check: Sendable {
        /// The whole file, at opening.
        case whole
        /// Every table but the history's (`contact_periods`, `parent_periods`: most of a large
        /// file) at opening; the whole file once, before the first write or the first reading of
        /// the history (see `checkWhole()`). Damage found then fails that call and every later
        /// write or history reading with the same error.
        case deferringHistory
    }

    /// Where the deferred whole-file check stands.
    private enum DeferredCheck {
        case done
        case pending
        case failed(StateError)
    }

    /// Opens (creating and migrating unless `readOnly`) the database at `path`; a writer that
    /// finds the database locked waits `busyTimeout` seconds before it fails.
    ///
    /// A file that is damaged or not a database throws `StateError.unreadable`: kamwatch never
    /// silently starts again from an empty state. `check` says how much is checked for damage
    /// at opening (a read-only store checks nothing: it only reads what it is asked for).
    public init(path: String, readOnly: Bool = false, busyTimeout: TimeInterval = 10, check: Check = .whole) throws {
        self.path = path
        deferredCheck = Mutex(!readOnly && check == .deferringHistory ? .pending : .done)
        if readOnly, !FileManager.default.fileExists(atPath: path) { throw StateError.missing(path: path) }
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(busyTimeout)
        do {
            if readOnly {
                db = try DatabaseQueue(path: path, configuration: config)
            } else {
                db = try DatabasePool(path: path, configuration: config)
            }
            try Self.prepare(db, path: path, readOnly: readOnly, check: check)
        } catch {
            throw Self.stateError(error, path: path)
        }
    }

    /// `error` as the `StateError` opening or checking `path` throws.
    private static func stateError(_ error: any Error, path: String) -> StateError {
        switch error {
        case let error as StateError: error
        case let error as DatabaseError: .unreadable(path: path, reason: error.message ?? "\(error.resultCode)")
        default: .unreadable(path: path, reason: "\(error)")
        }
    }

    /// The state directory's database: `<directory>/kamwatch.sqlite`.
    public convenience init(directory: String, readOnly: Bool = false, check: Check = .whole) throws {
        try self.init(
            path: (directory as NSString).appendingPathComponent(Self.fileName), readOnly: readOnly, check: check)
    }

    private init(memory: DatabaseQueue) throws {
        db = memory
        path = nil
        deferredCheck = Mutex(.done)
        try StateSchema.migrator.migrate(memory)
    }

    /// A fresh, migrated database in memory (for tests).
    public static func inMemory() throws -> StateStore {
        try StateStore(memory: DatabaseQueue())
    }

    /// The tables `Check.deferringHistory` leaves out at opening.
    static let historyTables: Set<String> = ["contact_periods", "parent_periods"]

    private static func prepare(_ db: any DatabaseWriter, path: String, readOnly: Bool, check: Check) throws {
        let migrator = StateSchema.migrator
        let (applied, known) = try db.read { db in
            // Reading the schema is what detects a file that is not a database at all.
            _ = try db.tableExists("grdb_migrations")
            return (try migrator.appliedIdentifiers(db), Set(migrator.migrations))
        }
        let unknown = applied.subtracting(known)
        if !unknown.isEmpty { throw StateError.newerSchema(path: path, unknown: unknown.sorted()) }
        if readOnly {
            let missing = known.subtracting(applied)
            if !missing.isEmpty {
                throw StateError.outdatedSchema(path: path, missing: migrator.migrations.filter(missing.contains))
            }
        } else {
            try migrator.migrate(db)
            // A damaged page shows up here rather than as wrong answers later.
            switch check {
            case .whole: try quickCheck(db, path: path)
            case .deferringHistory:
                let tables = try db.read { db in
                    try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                }
                for table in tables where !historyTables.contains(table) {
                    try quickCheck(db, path: path, table: table)
                }
            }
        }
    }

    /// `PRAGMA quick_check` of the whole file, or of `table` and its indexes.
    private static func quickCheck(_ db: any DatabaseWriter, path: String, table: String? = nil) throws {
        let sql = table.map { "PRAGMA quick_check(\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\")" }
        let rows = try db.read { db in
            let cursor = try String.fetchCursor(db, sql: sql ?? "PRAGMA quick_check")
            var rows: [String] = []
            while rows.count < 4, let row = try cursor.next() { rows.append(row) }
            return rows
        }
        if rows == ["ok"] { return }
        // The first problems found, without the heading naming the schema ("*** in database main ***").
        let found = rows.filter { !$0.hasPrefix("*** in database") }.prefix(3)
        throw StateError.unreadable(
            path: path, reason: found.isEmpty ? "integrity check failed" : found.joined(separator: "; "))
    }

    /// Runs the whole-file check that `Check.deferringHistory` left for later, once; then
    /// returns at once, or throws the error it found again. Writes and readings of the history
    /// call it first; the daemon calls it as soon as it is ready, before it records anything.
    public func checkWhole() throws {
        // Held while it runs: a writer on another thread waits for its outcome.
        try deferredCheck.withLock { state in
            switch state {
            case .done: return
            case .failed(let error): throw error
            case .pending:
                guard let path else {
                    state = .done
                    return
                }
                do {
                    try Self.quickCheck(db, path: path)
                    state = .done
                } catch {
                    let error = Self.stateError(error, path: path)
                    state = .failed(error)
                    throw error
                }
            }
        }
    }

    /// Whether the whole-file check is still to run (see `Check.deferringHistory`).
    public var wholeCheckPending: Bool {
        deferredCheck.withLock { state in
            if case .pending = state { return true }
            return false
        }
    }

    /// `db.write`, after the whole-file check (see `checkWhole()`): nothing is written to a
    /// damaged file.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try checkWhole()
        return try db.write(updates)
    }

    /// Stops SQLite's automatic checkpoints (by default, each commit that leaves more than
    /// 1000 pages in the write-ahead log copies them into the database file): start-up's
    /// commits only append to the log. Each commit still syncs the log, so nothing is less
    /// durable; readers read through the log. `resumeCheckpoints()` undoes it.
    public func holdCheckpoints() throws {
        try db.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
    }

    /// What a checkpoint found and did: the log's frames (pages written), and how many of
    /// them are now in the database file (both -1 without a write-ahead log).
    public struct Checkpoint: Sendable, Equatable {
        public var logFrames: Int
        public var checkpointed: Int
    }

    /// Turns automatic checkpoints on again (see `holdCheckpoints()`), then copies what the
    /// log holds into the database file without waiting for readers (a passive checkpoint).
    /// When the checkpoint fails, automatic ones are on all the same.
    @discardableResult
    public func resumeCheckpoints() throws -> Checkpoint {
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
            return Checkpoint(logFrames: row?[1] ?? -1, checkpointed: row?[2] ?? -1)
        }
    }

    /// A random id made when the database was created; journal entries carry it as
    /// `KAMWATCH_INSTANCE` so that recovery only looks at this database's own entries.
    public func instanceID() throws -> String {
        try db.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'instance'") } ?? ""
    }
}
