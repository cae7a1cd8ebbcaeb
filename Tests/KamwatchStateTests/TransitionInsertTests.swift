import Foundation
import GRDB
import KamwatchVocabulary
import Testing

@testable import KamwatchState

@Suite("Transition log inserts")
struct TransitionInsertTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.123)

    /// Alerts with the values that JSON writes in more than one way: escapes, slashes, control
    /// characters, non-ASCII text, integral, tiny, huge and non-finite numbers, nulls.
    var alerts: [Alert] {
        let texts = [
            "plain", "a/b", "q\"x", "back\\slash", "tab\tnl\n", "\u{1}\u{8}\u{c}\u{1f}\u{7f}", "Ромашка é", "\u{2028}",
        ]
        let numbers = [
            0, -0.0, 1, 0.1, 100, 1e16, 1e-7, 123_456_789.125, 2.5e300, 0.30000000000000004, -42.5, .nan, .infinity,
        ]
        return texts.enumerated().map { i, text in
            var evidence = Evidence()
            evidence.append(text, .text(text))
            evidence.append("n", .number(numbers[i % numbers.count]))
            evidence.append("m", .number(numbers[(i + 7) % numbers.count]))
            evidence.append("b", .bool(i % 2 == 0))
            evidence.append("none", .null)
            return Alert(
                rule: "r\(i)", accountID: "A/\(i)", accountName: text, severity: i % 2 == 0 ? .critical : .warning,
                message: "m \(text)", evidence: evidence, owner: i % 3 == 0 ? nil : text, lead: i % 4 == 0 ? nil : "l",
                revenueAtStake: i % 2 == 0 ? nil : numbers[i % numbers.count], messageID: i % 2 == 0 ? nil : "abc",
                messages: i % 3 == 1 ? nil : LocalizedText(en: "en \(text)", ru: "ru \(text)"))
        }
    }

    @Test("a plan's rows are stored exactly as the record's Codable insert stores them")
    func sameColumnsAsCodable() throws {
        let viaPlan = try DatabaseQueue()
        let viaCodable = try DatabaseQueue()
        try StateSchema.migrator.migrate(viaPlan)
        try StateSchema.migrator.migrate(viaCodable)
        let plan = TransitionPlan(
            transitions: alerts.enumerated().map { i, a in
                PlannedTransition(
                    state: i % 3 == 2 ? .resolved : .firing, alert: a, previousSeverity: i % 2 == 0 ? nil : .warning,
                    silenceID: i % 5 == 4 ? 7 : nil)
            })
        let records = try viaPlan.write { try StateStore.apply(plan, at: t0, $0) }
        #expect(records.map(\.seq) == Array(1...Int64(plan.transitions.count)))
        try viaCodable.write { db in
            for t in plan.transitions {
                var r = TransitionRecord(
                    time: t0, state: t.state, alert: t.alert, previousSeverity: t.previousSeverity,
                    silenceID: t.silenceID, emittedOutbox: t.silenceID != nil)
                try r.insert(db)
            }
        }
        let sql = "SELECT * FROM transitions ORDER BY seq"
        let stored = try viaPlan.read { try Row.fetchAll($0, sql: sql) }
        let expected = try viaCodable.read { try Row.fetchAll($0, sql: sql) }
        #expect(stored.count == alerts.count)
        for (a, b) in zip(stored, expected) {
            for column in a.columnNames {
                #expect(a[column] as DatabaseValue == b[column] as DatabaseValue, "column \(column)")
            }
        }
        // And they read back as the records `apply` returned.
        let read = try viaPlan.read { try TransitionRecord.fetchAll($0, sql: sql) }
        for (r, back) in zip(records, read) {
            #expect(r.seq == back.seq && r.state == back.state && r.silenceID == back.silenceID)
            #expect(r.alert.evidence.count == back.alert.evidence.count)
            #expect(r.alert.messages == back.alert.messages)
        }
    }

    @Test("a plan's open alerts are stored as their Codable insert and update store them, since kept")
    func openAlertsAsCodable() throws {
        let viaPlan = try DatabaseQueue()
        let viaCodable = try DatabaseQueue()
        try StateSchema.migrator.migrate(viaPlan)
        try StateSchema.migrator.migrate(viaCodable)
        let t1 = t0.addingTimeInterval(86_400.5)
        let first = TransitionPlan(
            transitions: alerts.enumerated().map { i, a in
                PlannedTransition(state: .firing, alert: a, previousSeverity: nil, silenceID: i % 5 == 4 ? 7 : nil)
            })
        try viaPlan.write { _ = try StateStore.apply(first, at: t0, $0) }
        try viaCodable.write { db in
            for t in first.transitions { try OpenAlert(t.alert, since: t0, silencedBy: t.silenceID).insert(db) }
        }
        try expectSameOpenAlerts(viaPlan, viaCodable)

        // The next day: a third change severity (announced, the silence gone), a third resolve,
        // the rest are refreshed with other details; one new alert fires.
        var changed: [PlannedTransition] = []
        var refreshed: [Alert] = []
        for (i, old) in alerts.enumerated() {
            var a = old
            a.message = "next \(i)"
            a.evidence.append("more", .number(Double(i)))
            a.revenueAtStake = i % 2 == 0 ? 5.5 : nil
            a.owner = i % 2 == 0 ? "o\(i)" : nil
            switch i % 3 {
            case 0:
                a.severity = old.severity == .critical ? .warning : .critical
                changed.append(PlannedTransition(state: .firing, alert: a, previousSeverity: old.severity))
            case 1: changed.append(PlannedTransition(state: .resolved, alert: old, previousSeverity: old.severity))
            default: refreshed.append(a)
            }
        }
        var fresh = alerts[1]
        fresh.rule = "new"
        changed.append(PlannedTransition(state: .firing, alert: fresh, previousSeverity: nil))
        let second = TransitionPlan(transitions: changed, refreshed: refreshed)
        try viaPlan.write { _ = try StateStore.apply(second, at: t1, $0) }
        try viaCodable.write { db in
            for t in second.transitions {
                let key = ["rule": t.alert.rule, "account_id": t.alert.accountID]
                switch t.state {
                case .resolved: _ = try OpenAlert.deleteOne(db, key: key)
                case .firing:
                    let since = try OpenAlert.fetchOne(db, key: key)?.since
                    try OpenAlert(t.alert, since: since ?? t1, silencedBy: t.silenceID).insert(db, onConflict: .replace)
                }
            }
            for a in second.refreshed {
                var open = try #require(try OpenAlert.fetchOne(db, key: ["rule": a.rule, "account_id": a.accountID]))
                open.alert = a
                try open.update(db)
            }
        }
        try expectSameOpenAlerts(viaPlan, viaCodable)
        let sinces = try viaPlan.read { try Row.fetchAll($0, sql: "SELECT rule, since FROM open_alerts") }
        // As stored: milliseconds, as text.
        let since = { (row: Row) in row["since"] as DatabaseValue }
        #expect(sinces.filter { $0["rule"] as String == "new" }.map(since) == [t1.databaseValue])
        #expect(sinces.filter { $0["rule"] as String != "new" }.map(since).allSatisfy { $0 == t0.databaseValue })
        #expect(sinces.count == alerts.indices.filter { $0 % 3 != 1 }.count + 1)
    }

    private func expectSameOpenAlerts(_ a: DatabaseQueue, _ b: DatabaseQueue) throws {
        let sql = "SELECT * FROM open_alerts ORDER BY rule, account_id"
        let stored = try a.read { try Row.fetchAll($0, sql: sql) }
        let expected = try b.read { try Row.fetchAll($0, sql: sql) }
        #expect(stored.count == expected.count)
        for (x, y) in zip(stored, expected) {
            #expect(x.columnNames.sorted() == y.columnNames.sorted())
            for column in y.columnNames {
                #expect(x[column] as DatabaseValue == y[column] as DatabaseValue, "column \(column)")
            }
        }
    }

    @Test("stored JSON numbers and strings are JSONEncoder's")
    func storedJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for a in alerts {
            #expect(StoredJSON.evidence(a.evidence) == String(decoding: try encoder.encode(a.evidence), as: UTF8.self))
            if let m = a.messages {
                #expect(StoredJSON.localized(m) == String(decoding: try encoder.encode(m), as: UTF8.self))
            }
        }
    }
}
