import Foundation
import GRDB
import KamwatchVocabulary
import Testing

@testable import KamwatchState

@Suite("Stored values")
struct StoredValueTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A database file with only the first migration applied, as kamwatch 0.1 left it.
    private func version1Database() throws -> (path: String, queue: DatabaseQueue) {
        let dir = try TestAlerts.temporaryDirectory()
        let path = dir + "/kamwatch.sqlite"
        let queue = try DatabaseQueue(path: path)
        // The real first migration, not a copy: the shipped migrator up to it.
        try StateSchema.migrator.migrate(queue, upTo: "v1-alerts-transitions-digests")
        return (path, queue)
    }

    @Test("evidence stored by version 1 as a JSON object keeps its order and types")
    func evidenceFromVersion1() throws {
        let (path, queue) = try version1Database()
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO transitions (time, state, rule, account_id, account_name, severity, message, evidence)
                    VALUES (?, 'firing', 'r', 'A1', 'Acme', 'critical', 'm', ?)
                    """,
                arguments: [t0, #"{"z":1,"share":0.0625,"event":"merger \"x\"","flag":true,"off":false,"none":null}"#])
            try db.execute(
                sql: """
                    INSERT INTO open_alerts (rule, account_id, account_name, severity, since, evidence, message)
                    VALUES ('r', 'A1', 'Acme', 'critical', ?, '{"b":2,"a":1}', 'm')
                    """, arguments: [t0])
        }
        try queue.close()
        let store = try StateStore(path: path)
        let record = try #require(try store.transitions(afterSeq: 0).first)
        #expect(
            record.evidence == [
                "z": .number(1), "share": .number(0.0625), "event": .text(#"merger "x""#), "flag": .bool(true),
                "off": .bool(false), "none": .null,
            ])
        #expect(try store.openAlerts().first?.evidence == ["b": .number(2), "a": .number(1)])
    }

    @Test(
        "an unknown stored value is an error, never a default",
        arguments: [
            ("state", "'paused'"), ("severity", "'fatal'"), ("previous_severity", "'minor'"),
            ("evidence", "'{\"n\":1}'"),
        ])
    func unknownValues(column: String, value: String) throws {
        let dir = try TestAlerts.temporaryDirectory()
        let path = dir + "/kamwatch.sqlite"
        let store = try StateStore(path: path)
        try store.apply(TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "1")], open: []), at: t0)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            if column == "state" { try db.execute(sql: "PRAGMA ignore_check_constraints = ON") }
            try db.execute(sql: "UPDATE transitions SET \(column) = \(value)")
        }
        try queue.close()
        #expect(throws: (any Error).self) { try store.transitions(afterSeq: 0) }
    }
}
