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
