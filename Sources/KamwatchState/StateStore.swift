import Foundation
import GRDB
import KamwatchVocabulary

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

    /// Opens (creating and migrating unless `readOnly`) the database at `path`; a writer that
    /// finds the database locked waits `busyTimeout` seconds before it fails.
    ///
    /// A file that is damaged or not a database throws `StateError.unreadable`: kamwatch never
    /// silently starts again from an empty state.
    public init(path: String, readOnly: Bool = false, busyTimeout: TimeInterval = 10) throws {
        self.path = path
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
            try Self.prepare(db, path: path, readOnly: readOnly)
        } catch let error as StateError {
            throw error
        } catch let error as DatabaseError {
            throw StateError.unreadable(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw StateError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// The state directory's database: `<directory>/kamwatch.sqlite`.
    public convenience init(directory: String, readOnly: Bool = false) throws {
        try self.init(path: (directory as NSString).appendingPathComponent(Self.fileName), readOnly: readOnly)
    }

    private init(memory: DatabaseQueue) throws {
        db = memory
        path = nil
        try StateSchema.migrator.migrate(memory)
    }

    /// A fresh, migrated database in memory (for tests).
    public static func inMemory() throws -> StateStore {
        try StateStore(memory: DatabaseQueue())
    }

    private static func prepare(_ db: any DatabaseWriter, path: String, readOnly: Bool) throws {
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
            let check = try db.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
            if check != "ok" { throw StateError.unreadable(path: path, reason: check ?? "integrity check failed") }
        }
    }

    /// A random id made when the database was created; journal entries carry it as
    /// `KAMWATCH_INSTANCE` so that recovery only looks at this database's own entries.
    public func instanceID() throws -> String {
        try db.read { try String.fetchOne($0, sql: "SELECT value FROM meta WHERE key = 'instance'") } ?? ""
    }
}
