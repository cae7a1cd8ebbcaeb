import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// What recording a snapshot changed.
    public struct HistoryRecording: Sendable, Equatable {
        /// The day recorded, and whether it replaced an earlier recording of that day.
        public var day: String
        public var replaced: Bool
        /// Contacts seen on the day.
        public var contactsSeen: Int
        /// Periods that started (new or returning contacts) and ended (missing contacts).
        public var periodsStarted: Int
        public var periodsEnded: Int
        /// Accounts whose parent changed (a new account's first parent is no change).
        public var parentChanges: Int
    }

    /// Records `snapshot` as the day `day`'s (SPEC §6 "History"). Recording the last recorded
    /// day again replaces it; an older day throws `HistoryError.olderThanLastDay`.
    @discardableResult
    public func recordHistory(
        _ snapshot: HistorySnapshot, on day: Day, at time: Date = Date()
    ) throws
        -> HistoryRecording
    {
        let day = day.description
        return try db.write { db in
            let last = try String.fetchOne(db, sql: "SELECT max(day) FROM history_days")
            if let last, last > day { throw HistoryError.olderThanLastDay(day: day, last: last) }
            let replaced = last == day
            if replaced {
                // Back to the day before: what the day started goes, what it ended is open again.
                try db.execute(sql: "DELETE FROM contact_periods WHERE first_seen = ?", arguments: [day])
                try db.execute(
                    sql: "UPDATE contact_periods SET missing_from = NULL WHERE missing_from = ?", arguments: [day])
                try db.execute(sql: "DELETE FROM parent_periods WHERE from_day = ?", arguments: [day])
                try db.execute(sql: "UPDATE parent_periods SET to_day = NULL WHERE to_day = ?", arguments: [day])
            }
            let openContacts = try ContactPeriod.fetchAll(
                db, sql: "SELECT * FROM contact_periods WHERE missing_from IS NULL")
            let openParents = try ParentPeriod.fetchAll(db, sql: "SELECT * FROM parent_periods WHERE to_day IS NULL")
            let step = HistoryStep.plan(
                openContacts: Dictionary(openContacts.map { ($0.contactID, $0) }, uniquingKeysWith: { a, _ in a }),
                openParents: Dictionary(openParents.map { ($0.accountID, $0) }, uniquingKeysWith: { a, _ in a }),
                snapshot: snapshot, day: day)
            let close = try db.cachedStatement(
                sql: "UPDATE contact_periods SET missing_from = ? WHERE contact_id = ? AND missing_from IS NULL")
            for id in step.closedContacts { try close.execute(arguments: [day, id]) }
            for p in step.openedContacts { try p.insert(db) }
            let closeParent = try db.cachedStatement(
                sql: "UPDATE parent_periods SET to_day = ? WHERE account_id = ? AND to_day IS NULL")
            for id in step.closedParents { try closeParent.execute(arguments: [day, id]) }
            for p in step.openedParents { try p.insert(db) }
            try RecordedDay(day: day, recordedAt: time).save(db)
            return HistoryRecording(
                day: day, replaced: replaced, contactsSeen: snapshot.contacts.count,
                periodsStarted: step.openedContacts.count, periodsEnded: step.closedContacts.count,
                parentChanges: step.closedParents.count)
        }
    }

    /// The whole recorded history (empty when nothing was recorded).
    public func history() throws -> ContactHistory {
        try db.read { db in
            ContactHistory(
                days: try String.fetchAll(db, sql: "SELECT day FROM history_days ORDER BY day"),
                contacts: try ContactPeriod.fetchAll(
                    db, sql: "SELECT * FROM contact_periods ORDER BY contact_id, first_seen"),
                parents: try ParentPeriod.fetchAll(
                    db, sql: "SELECT * FROM parent_periods ORDER BY account_id, from_day"))
        }
    }
}
