import Foundation
import GRDB
import KamwatchRules

extension StateStore {
    /// All alerts that currently hold, ordered by rule then account id.
    public func openAlerts() throws -> [OpenAlert] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM open_alerts ORDER BY rule, account_id").map(OpenAlert.init(row:))
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
                let a = t.alert
                try db.execute(
                    sql: """
                        INSERT INTO transitions (time, state, rule, account_id, account_name, severity,
                            previous_severity, owner, lead, message, evidence, revenue_at_stake, message_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        time, t.state.rawValue, a.rule, a.accountID, a.accountName, a.severity.rawValue,
                        t.previousSeverity?.rawValue, a.owner, a.lead, a.message, a.evidenceJSON, a.revenueAtStake,
                        a.messageID,
                    ])
                records.append(
                    TransitionRecord(
                        seq: db.lastInsertedRowID, time: time, state: t.state, rule: a.rule, accountID: a.accountID,
                        accountName: a.accountName, severity: a.severity, previousSeverity: t.previousSeverity,
                        owner: a.owner, lead: a.lead, message: a.message, evidenceJSON: a.evidenceJSON,
                        revenueAtStake: a.revenueAtStake, messageID: a.messageID))
                switch (t.state, t.previousSeverity) {
                case (.resolved, _):
                    try db.execute(
                        sql: "DELETE FROM open_alerts WHERE rule = ? AND account_id = ?",
                        arguments: [a.rule, a.accountID])
                case (.firing, nil):
                    try db.execute(
                        sql: """
                            INSERT OR REPLACE INTO open_alerts (rule, account_id, account_name, severity, since,
                                evidence, owner, lead, message, revenue_at_stake, message_id)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            a.rule, a.accountID, a.accountName, a.severity.rawValue, time, a.evidenceJSON, a.owner,
                            a.lead, a.message, a.revenueAtStake, a.messageID,
                        ])
                case (.firing, .some):
                    try update(db, a)
                }
            }
            for a in plan.refreshed { try update(db, a) }
            return records
        }
    }

    private func update(_ db: Database, _ a: AlertSnapshot) throws {
        try db.execute(
            sql: """
                UPDATE open_alerts SET account_name = ?, severity = ?, evidence = ?, owner = ?, lead = ?,
                    message = ?, revenue_at_stake = ?, message_id = ?
                WHERE rule = ? AND account_id = ?
                """,
            arguments: [
                a.accountName, a.severity.rawValue, a.evidenceJSON, a.owner, a.lead, a.message, a.revenueAtStake,
                a.messageID, a.rule, a.accountID,
            ])
    }
}

extension OpenAlert {
    init(row: Row) {
        self.init(
            rule: row["rule"], accountID: row["account_id"], accountName: row["account_name"],
            severity: Severity(rawValue: row["severity"]) ?? .warning, since: row["since"],
            evidenceJSON: row["evidence"], owner: row["owner"], lead: row["lead"], message: row["message"],
            revenueAtStake: row["revenue_at_stake"], messageID: row["message_id"])
    }
}
