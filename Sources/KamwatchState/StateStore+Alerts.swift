import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// All alerts that currently hold, ordered by rule then account id.
    public func openAlerts() throws -> [OpenAlert] {
        try db.read { db in
            // Read by column position: decoding each row through `Codable` (its evidence through
            // `JSONDecoder`) was most of a restart's loading of tens of thousands of alerts.
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(OpenAlert.selection) FROM open_alerts ORDER BY rule, account_id")
            var alerts: [OpenAlert] = []
            while let row = try rows.next() { alerts.append(try OpenAlert(columns: row)) }
            return alerts
        }
    }

    /// The alerts that currently hold, by key (what the daemon keeps between evaluations).
    public func openAlertsByKey() throws -> [AlertKey: OpenAlert] {
        try db.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT \(OpenAlert.selection) FROM open_alerts")
            var alerts: [AlertKey: OpenAlert] = [:]
            alerts.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM open_alerts") ?? 0)
            while let row = try rows.next() {
                let alert = try OpenAlert(columns: row)
                alerts[alert.key] = alert
            }
            return alerts
        }
    }

    /// Records `plan` at `time` in one database transaction: appends its transitions to the log
    /// (not yet emitted; a silenced one needs no outbox file) and updates the open alerts and the
    /// timing rows. Returns the new log rows, seq assigned.
    @discardableResult
    public func apply(_ plan: TransitionPlan, at time: Date) throws -> [TransitionRecord] {
        if plan.isEmpty { return [] }
        return try write { db in try Self.apply(plan, at: time, db) }
    }

    static func apply(_ plan: TransitionPlan, at time: Date, _ db: Database) throws -> [TransitionRecord] {
        if plan.isEmpty { return [] }
        var records: [TransitionRecord] = []
        records.reserveCapacity(plan.transitions.count)
        // A first start fires tens of thousands of alerts: each row's values are bound by
        // position (no argument arrays), the alert's JSON is made once for the log row and the
        // open alert, and the time is bound as the text GRDB stores a `Date` as (formatted once).
        // The open alert is written from values, not copied from its log row with a SELECT:
        // an INSERT … SELECT needs a statement journal, which spills to a temporary file.
        var insert = BulkInsert(try db.cachedStatement(sql: TransitionRecord.insertSQL))
        var open = BulkInsert(try db.cachedStatement(sql: OpenAlert.upsertSQL))
        var close = BulkInsert(
            try db.cachedStatement(sql: "DELETE FROM open_alerts WHERE rule = ? AND account_id = ?"))
        let timeText = String.fromDatabaseValue(time.databaseValue)
        for t in plan.transitions {
            var record = TransitionRecord(
                time: time, state: t.state, alert: t.alert, previousSeverity: t.previousSeverity,
                silenceID: t.silenceID, emittedOutbox: t.silenceID != nil)
            let values = StoredAlert(t.alert)
            try insert.row(db) { [record] s in record.bindInsert(&s, time: timeText, values) }
            record.seq = db.lastInsertedRowID
            records.append(record)
            switch t.state {
            case .resolved:
                try close.row(db) { s in
                    s.bind(1, t.alert.rule)
                    s.bind(2, t.alert.accountID)
                }
            case .firing:
                // A new alert starts now; a severity change or an announcement keeps when it
                // started (the upsert leaves `since` alone).
                try open.row(db) { s in
                    values.bind(&s, from: 1)
                    s.bind(12, timeText)
                    s.bind(13, t.silenceID)
                }
            }
        }
        if !plan.refreshed.isEmpty {
            var refresh = BulkInsert(try db.cachedStatement(sql: OpenAlert.refreshSQL))
            for a in plan.refreshed {
                let values = StoredAlert(a)
                try refresh.row(db) { s in values.bind(&s, from: 1) }
            }
        }
        for (key, silence) in plan.resilenced {
            try db.execute(
                sql: "UPDATE open_alerts SET silenced_by = ? WHERE rule = ? AND account_id = ?",
                arguments: [silence, key.rule, key.accountID])
        }
        for row in plan.timing { try row.insert(db, onConflict: .replace) }
        for key in plan.timingDone {
            _ = try AlertTiming.deleteOne(db, key: ["rule": key.rule, "account_id": key.accountID])
        }
        return records
    }

    /// The `for:` / `keep_firing_for:` rows: alerts pending, and alerts kept firing.
    public func alertTimings() throws -> [AlertTiming] {
        try db.read { try AlertTiming.fetchAll($0, sql: "SELECT * FROM alert_timing ORDER BY rule, account_id") }
    }
}
