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
        return try write { db in try Self.record(snapshot, on: day, at: time, db) }
    }

    private static func record(
        _ snapshot: HistorySnapshot, on day: String, at time: Date, _ db: Database
    ) throws -> HistoryRecording {
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
        // Only what the comparison needs, row by row: a history can be large.
        var openContacts: [String: String] = [:]
        openContacts.reserveCapacity(snapshot.contacts.count)
        let contacts = try Row.fetchCursor(
            db, sql: "SELECT contact_id, account_id FROM contact_periods WHERE missing_from IS NULL")
        while let row = try contacts.next() { openContacts[row[0]] = row[1] as String }
        var openParents: [String: String?] = [:]
        openParents.reserveCapacity(snapshot.parents.count)
        let parents = try Row.fetchCursor(
            db, sql: "SELECT account_id, parent_id FROM parent_periods WHERE to_day IS NULL")
        while let row = try parents.next() { openParents[row[0]] = .some(row[1] as String?) }
        let step = HistoryStep.plan(
            openContacts: openContacts, openParents: openParents, snapshot: snapshot, day: day)
        let close = try db.cachedStatement(
            sql: "UPDATE contact_periods SET missing_from = ? WHERE contact_id = ? AND missing_from IS NULL")
        for id in step.closedContacts { try close.execute(arguments: [day, id]) }
        let open = try db.cachedStatement(
            sql: "INSERT INTO contact_periods (contact_id, account_id, first_seen, since) VALUES (?, ?, ?, ?)")
        for p in step.openedContacts {
            try open.execute(arguments: [p.contactID, p.accountID, p.firstSeen, p.since])
        }
        let closeParent = try db.cachedStatement(
            sql: "UPDATE parent_periods SET to_day = ? WHERE account_id = ? AND to_day IS NULL")
        for id in step.closedParents { try closeParent.execute(arguments: [day, id]) }
        let openParent = try db.cachedStatement(
            sql: "INSERT INTO parent_periods (account_id, parent_id, parent_name, from_day) VALUES (?, ?, ?, ?)")
        for p in step.openedParents {
            try openParent.execute(arguments: [p.accountID, p.parentID, p.parentName, p.fromDay])
        }
        try RecordedDay(day: day, recordedAt: time).save(db)
        return HistoryRecording(
            day: day, replaced: replaced, contactsSeen: snapshot.contacts.count,
            periodsStarted: step.openedContacts.count, periodsEnded: step.closedContacts.count,
            parentChanges: step.closedParents.count)
    }

    /// The whole recorded history (empty when nothing was recorded). Its tables are checked
    /// for damage first, if opening left them (see `StateStore.Check`).
    public func history() throws -> ContactHistory {
        try checkWhole()
        return try db.read { db in
            // Read by column position: decoding each row through `Codable` costs several times more.
            var contacts: [ContactPeriod] = []
            let contactRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT contact_id, account_id, first_seen, missing_from, since FROM contact_periods
                    ORDER BY contact_id, first_seen
                    """)
            while let r = try contactRows.next() {
                contacts.append(
                    ContactPeriod(contactID: r[0], accountID: r[1], firstSeen: r[2], missingFrom: r[3], since: r[4]))
            }
            var parents: [ParentPeriod] = []
            let parentRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT account_id, parent_id, parent_name, from_day, to_day FROM parent_periods
                    ORDER BY account_id, from_day
                    """)
            while let r = try parentRows.next() {
                parents.append(
                    ParentPeriod(accountID: r[0], parentID: r[1], parentName: r[2], fromDay: r[3], toDay: r[4]))
            }
            return ContactHistory(
                days: try String.fetchAll(db, sql: "SELECT day FROM history_days ORDER BY day"), contacts: contacts,
                parents: parents)
        }
    }
}

extension StateStore {
    /// What identifies the recorded history now (`HistoryMemory` compares it to notice another writer).
    public func historyMark() throws -> HistoryMark {
        try db.read { db in try Self.historyMark(db) }
    }

    private static func historyMark(_ db: Database) throws -> HistoryMark {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*), max(day),
                    (SELECT CAST(recorded_at AS TEXT) FROM history_days ORDER BY day DESC LIMIT 1)
                FROM history_days
                """)
        return HistoryMark(days: row?[0] ?? 0, last: row?[1], recordedAt: row?[2])
    }

    /// Records what `HistoryMemory.next` planned: only the difference from what the day held
    /// (nothing else of the history is read or rewritten). Returns the write marked as accepted.
    public func recordHistory(_ write: HistoryMemory.Write, at time: Date = Date()) throws -> HistoryMemory.Write {
        try self.write { db in try Self.recordHistory(write, at: time, db) }
    }

    static func recordHistory(
        _ write: HistoryMemory.Write, at time: Date, _ db: Database
    ) throws
        -> HistoryMemory.Write
    {
        let day = write.day
        var accepted = write
        if try Self.historyMark(db) != write.expected {
            // Another writer recorded meanwhile: record the whole snapshot, and let the
            // memory read the history again.
            _ = try Self.record(write.snapshot, on: day, at: time, db)
            accepted.mark = nil
            return accepted
        }
        // What the day no longer starts or ends goes back first, then what it newly does.
        let unopen = try db.cachedStatement(
            sql: "DELETE FROM contact_periods WHERE contact_id = ? AND first_seen = ?")
        for id in write.unopenContacts { try unopen.execute(arguments: [id, day]) }
        let unclose = try db.cachedStatement(
            sql: "UPDATE contact_periods SET missing_from = NULL WHERE contact_id = ? AND missing_from = ?")
        for id in write.uncloseContacts { try unclose.execute(arguments: [id, day]) }
        let close = try db.cachedStatement(
            sql: """
                UPDATE contact_periods SET missing_from = ?
                WHERE contact_id = ? AND missing_from IS NULL AND first_seen < ?
                """)
        for id in write.closeContacts { try close.execute(arguments: [day, id, day]) }
        let open = try db.cachedStatement(
            sql: "INSERT INTO contact_periods (contact_id, account_id, first_seen, since) VALUES (?, ?, ?, ?)")
        for p in write.openContacts {
            try open.execute(arguments: [p.contactID, p.accountID, p.firstSeen, p.since])
        }
        let unopenParent = try db.cachedStatement(
            sql: "DELETE FROM parent_periods WHERE account_id = ? AND from_day = ?")
        for id in write.unopenParents { try unopenParent.execute(arguments: [id, day]) }
        let uncloseParent = try db.cachedStatement(
            sql: "UPDATE parent_periods SET to_day = NULL WHERE account_id = ? AND to_day = ?")
        for id in write.uncloseParents { try uncloseParent.execute(arguments: [id, day]) }
        let closeParent = try db.cachedStatement(
            sql: "UPDATE parent_periods SET to_day = ? WHERE account_id = ? AND to_day IS NULL AND from_day < ?")
        for id in write.closeParents { try closeParent.execute(arguments: [day, id, day]) }
        let openParent = try db.cachedStatement(
            sql: "INSERT INTO parent_periods (account_id, parent_id, parent_name, from_day) VALUES (?, ?, ?, ?)")
        for p in write.openParents {
            try openParent.execute(arguments: [p.accountID, p.parentID, p.parentName, p.fromDay])
        }
        try RecordedDay(day: day, recordedAt: time).save(db)
        accepted.mark = try Self.historyMark(db)
        return accepted
    }
}

extension StateStore {
    /// Records `snapshot` as the history's only day, `day`, when no day before it is recorded
    /// (the first day's snapshot, which the daemon records after READY=1). What the database
    /// holds for the day is compared in one pass, in key order, and written again (whole) only
    /// when it differs: nothing else is read into memory. Returns the history's mark, or `nil`
    /// when a day before `day` is recorded (then `recordHistory(_:at:)` is the way).
    public func recordOnlyDay(_ snapshot: HistorySnapshot, on day: Day, at time: Date = Date()) throws -> HistoryMark? {
        let day = day.description
        return try write { db in
            let mark = try Self.historyMark(db)
            guard mark.holdsNoDay(before: day) else { return nil }
            if mark.days == 1, try Self.holdsOnly(snapshot, on: day, db) { return mark }
            // Every row is of `day` (or there is none): the day is written again whole, in key
            // order (B-tree pages filled one after the other), one statement for each table.
            try db.execute(sql: "DELETE FROM contact_periods")
            try db.execute(sql: "DELETE FROM parent_periods")
            // The snapshot is sorted by id in byte order, as the primary keys are.
            var open = BulkInsert(
                try db.makeStatement(
                    sql: "INSERT INTO contact_periods (contact_id, account_id, first_seen, since) VALUES (?, ?, ?, ?)"))
            try snapshot.contacts.forEachBytes { id, account, since in
                try open.row(db) { open in
                    open.bind(1, bytes: id)
                    open.bind(2, bytes: account)
                    open.bind(3, day)
                    open.bind(4, since)
                }
            }
            var openParent = BulkInsert(
                try db.makeStatement(
                    sql: "INSERT INTO parent_periods (account_id, parent_id, parent_name, from_day) VALUES (?, ?, ?, ?)"
                ))
            try snapshot.parents.forEach { id, seen in
                try openParent.row(db) { open in
                    open.bind(1, bytes: id)
                    open.bind(2, seen.parentID)
                    open.bind(3, seen.parentName)
                    open.bind(4, day)
                }
            }
            try RecordedDay(day: day, recordedAt: time).save(db)
            return try Self.historyMark(db)
        }
    }

    /// Whether the database's periods are exactly those `snapshot` opens on `day`: one pass
    /// over each table in key order, each row compared with the snapshot's entry at the same
    /// place (the snapshot is sorted as the primary keys are, and they make the rows distinct).
    private static func holdsOnly(_ snapshot: HistorySnapshot, on day: String, _ db: Database) throws -> Bool {
        var k = 0
        let seen = snapshot.contacts
        let contacts = try Row.fetchCursor(
            db,
            sql: """
                SELECT contact_id, account_id, first_seen, missing_from, since FROM contact_periods
                ORDER BY contact_id, first_seen
                """)
        while let r = try contacts.next() {
            guard k < seen.count, seen.ids.string(k) == r[0] as String, r[1] == seen.accountID(at: k), r[2] == day,
                (r[3] as String?) == nil, r[4] == seen.sinceDay(at: k)
            else { return false }
            k += 1
        }
        guard k == seen.count else { return false }
        k = 0
        let parents = try Row.fetchCursor(
            db,
            sql: """
                SELECT account_id, parent_id, parent_name, from_day, to_day FROM parent_periods
                ORDER BY account_id, from_day
                """)
        while let r = try parents.next() {
            guard k < snapshot.parents.count, snapshot.parents.ids.string(k) == r[0] as String else { return false }
            let parent = snapshot.parents.parent(at: k)
            guard r[1] == parent.parentID, r[2] == parent.parentName, r[3] == day, (r[4] as String?) == nil
            else { return false }
            k += 1
        }
        return k == snapshot.parents.count
    }
}

extension StateStore {
    /// What one evaluation records: its transitions, the leads when they changed, and what
    /// changed in the history.
    public struct Evaluation: Sendable {
        public var plan: TransitionPlan
        public var leads: Set<String>?
        public var history: HistoryMemory.Write?

        public init(plan: TransitionPlan, leads: Set<String>? = nil, history: HistoryMemory.Write? = nil) {
            self.plan = plan
            self.leads = leads
            self.history = history
        }
    }

    /// Records `evaluation` in one transaction (one commit to wait for, not three). A history
    /// the database refuses (a later day was recorded meanwhile) is left out, not an error:
    /// the alerts do not depend on it. Returns the new log rows and the history write, marked
    /// when it was taken.
    public func record(
        _ evaluation: Evaluation, at time: Date
    ) throws
        -> (records: [TransitionRecord], history: HistoryMemory.Write?, refused: HistoryError?)
    {
        if evaluation.plan.isEmpty, evaluation.leads == nil, evaluation.history == nil { return ([], nil, nil) }
        return try write { db in
            let records = try Self.apply(evaluation.plan, at: time, db)
            if let leads = evaluation.leads { try Self.recordLeads(leads, db) }
            guard let write = evaluation.history else { return (records, nil, nil) }
            do {
                return (records, try Self.recordHistory(write, at: time, db), nil)
            } catch let refused as HistoryError {
                return (records, nil, refused)
            }
        }
    }
}
