import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// Every silence, newest first.
    public func silences() throws -> [Silence] {
        try db.read { try Silence.fetchAll($0, sql: "SELECT * FROM silences ORDER BY id DESC") }
    }

    /// The silences active on `day` (not expired by hand, last day not passed), by id.
    public func activeSilences(on day: Day) throws -> [Silence] {
        try db.read { db in
            try Silence.fetchAll(
                db, sql: "SELECT * FROM silences WHERE expired_at IS NULL AND until >= ? ORDER BY id",
                arguments: [day.description])
        }
    }

    /// Stores a new silence; returns it with its id.
    public func addSilence(_ silence: Silence) throws -> Silence {
        var s = silence
        try write { try s.insert($0) }
        return s
    }

    /// Expires silence `id` at `time`; returns it, or `nil` when there is no such silence.
    /// Expiring one already expired changes nothing.
    public func expireSilence(id: Int64, at time: Date) throws -> Silence? {
        try write { db in
            try db.execute(
                sql: "UPDATE silences SET expired_at = ? WHERE id = ? AND expired_at IS NULL", arguments: [time, id])
            return try Silence.fetchOne(db, key: id)
        }
    }
}
