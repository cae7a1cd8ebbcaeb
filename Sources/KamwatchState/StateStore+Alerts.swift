import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// All alerts that currently hold, ordered by rule then account id.
    public func openAlerts() throws -> [OpenAlert] {
        try db.read { db in
            try OpenAlert.fetchAll(db, sql: "SELECT * FROM open_alerts ORDER BY rule, account_id")
        }
    }

    /// Records `plan` at `time` in one database transaction: appends its transitions to the log
    /// (not yet emitted) and updates the open alerts. Returns the new log rows, seq assigned.
    @discardableResult
    public func apply(_ plan: TransitionPlan, at time: Date) throws -> [TransitionRecord] {
        if plan.isEmpty { return [] }
        return try db.write { db in
            var records: [TransitionRecord] = []
            records.reserveCapacity(plan.transitions.count)
            for t in plan.transitions {
                var record = TransitionRecord(
                    time: time, state: t.state, alert: t.alert, previousSeverity: t.previousSeverity)
                try record.insert(db)
                records.append(record)
                switch (t.state, t.previousSeverity) {
                case (.resolved, _):
                    _ = try OpenAlert.deleteOne(db, key: ["rule": t.alert.rule, "account_id": t.alert.accountID])
                case (.firing, nil):
                    try OpenAlert(t.alert, since: time).insert(db, onConflict: .replace)
                case (.firing, .some):
                    try refresh(db, t.alert)
                }
            }
            for a in plan.refreshed { try refresh(db, a) }
            return records
        }
    }

    /// Replaces an open alert's details, keeping when it started.
    private func refresh(_ db: Database, _ alert: Alert) throws {
        let since =
            try Date.fetchOne(
                db, sql: "SELECT since FROM open_alerts WHERE rule = ? AND account_id = ?",
                arguments: [alert.rule, alert.accountID])
        guard let since else { return }
        try OpenAlert(alert, since: since).update(db)
    }
}
