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
        return try db.write { db in try Self.apply(plan, at: time, db) }
    }

    static func apply(_ plan: TransitionPlan, at time: Date, _ db: Database) throws -> [TransitionRecord] {
        if plan.isEmpty { return [] }
        var records: [TransitionRecord] = []
        records.reserveCapacity(plan.transitions.count)
        // A first start fires tens of thousands of alerts: the open alert is copied from its
        // log row in SQL (the alert is encoded once), and `since` is read alone.
        let alertColumns = try openAlertColumns(db).joined(separator: ", ")
        let open = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO open_alerts (\(alertColumns), since, silenced_by)
                SELECT \(alertColumns), ?, ? FROM transitions WHERE seq = ?
                """)
        let since = try db.cachedStatement(sql: "SELECT since FROM open_alerts WHERE rule = ? AND account_id = ?")
        let close = try db.cachedStatement(sql: "DELETE FROM open_alerts WHERE rule = ? AND account_id = ?")
        let insert = try db.cachedStatement(sql: TransitionRecord.insertSQL)
        let timeValue = time.databaseValue
        for t in plan.transitions {
            var record = TransitionRecord(
                time: time, state: t.state, alert: t.alert, previousSeverity: t.previousSeverity,
                silenceID: t.silenceID, emittedOutbox: t.silenceID != nil)
            try insert.execute(arguments: record.insertArguments(time: timeValue))
            record.seq = db.lastInsertedRowID
            records.append(record)
            let key: StatementArguments = [t.alert.rule, t.alert.accountID]
            switch t.state {
            case .resolved:
                try close.execute(arguments: key)
            case .firing:
                // A new alert starts now; a severity change or an announcement keeps when it started.
                let started = try Date.fetchOne(since, arguments: key) ?? time
                try open.execute(arguments: [started, t.silenceID, record.seq])
            }
        }
        for a in plan.refreshed { try Self.refresh(db, a) }
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

    /// The columns of `open_alerts` that hold the alert (all but `since` and `silenced_by`):
    /// `transitions` has each of them under the same name (both are the alert's coding keys).
    static func openAlertColumns(_ db: Database) throws -> [String] {
        try db.columns(in: OpenAlert.databaseTableName).map(\.name).filter { !["since", "silenced_by"].contains($0) }
    }

    /// Replaces an open alert's details, keeping when it started and its silence.
    private static func refresh(_ db: Database, _ alert: Alert) throws {
        guard var open = try OpenAlert.fetchOne(db, key: ["rule": alert.rule, "account_id": alert.accountID]) else {
            return
        }
        open.alert = alert
        try open.update(db)
    }

    /// The `for:` / `keep_firing_for:` rows: alerts pending, and alerts kept firing.
    public func alertTimings() throws -> [AlertTiming] {
        try db.read { try AlertTiming.fetchAll($0, sql: "SELECT * FROM alert_timing ORDER BY rule, account_id") }
    }
}
