import Foundation
import GRDB
import KamwatchRules
import KamwatchVocabulary
import Testing

@testable import KamwatchState

@Suite("State integrity check and checkpoints")
struct StateCheckTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    /// A state file at `dir/kamwatch.sqlite` with one open alert and one day of history, closed
    /// (its log copied into the file), then the root page of `damaged` overwritten with garbage.
    private func stateFile(in dir: String, damaging damaged: String? = nil) throws -> String {
        let path = dir + "/kamwatch.sqlite"
        do {
            let store = try StateStore(path: path)
            try store.apply(TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "A1")], open: []), at: t0)
            try store.db.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO history_days (day, recorded_at) VALUES ('2026-11-20', '2026-11-20 08:00:00.000');
                        INSERT INTO contact_periods (contact_id, account_id, first_seen, since)
                            VALUES ('C1', 'A1', '2026-11-20', '2026-01-01');
                        INSERT INTO parent_periods (account_id, parent_id, parent_name, from_day)
                            VALUES ('A1', 'P1', 'Parent', '2026-11-20');
                        """)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        guard let damaged else { return path }
        let (root, pageSize) = try DatabaseQueue(path: path).read { db in
            (
                try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [damaged])
                    ?? 0,
                try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            )
        }
        #expect(root > 1)
        let file = try #require(FileHandle(forUpdatingAtPath: path))
        defer { try? file.close() }
        try file.seek(toOffset: UInt64((root - 1) * pageSize))
        try file.write(contentsOf: Data(repeating: 0xA5, count: pageSize))
        return path
    }

    @Test("damage in the history's pages is found before the first write, and stays found")
    func historyDamageBeforeWrite() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try stateFile(in: dir, damaging: "contact_periods")
        let store = try StateStore(path: path, check: .deferringHistory)
        #expect(store.wholeCheckPending)
        // What opening checked can be read meanwhile.
        #expect(try store.openAlerts().map(\.alert.accountID) == ["A1"])
        #expect(try store.historyMark().days == 1)
        let plan = TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "A2")], open: [])
        var first: StateError?
        do {
            try store.apply(plan, at: t0)
        } catch let error as StateError {
            first = error
        }
        let found = try #require(first)
        guard case .unreadable(let damagedPath, _) = found else {
            Issue.record("not an unreadable state: \(found)")
            return
        }
        #expect(damagedPath == path)
        #expect(!store.wholeCheckPending)
        // Sticky: every later write or reading of the history throws the same error.
        #expect(throws: found) { try store.apply(plan, at: t0) }
        #expect(throws: found) { try store.recordLeads(["lead@x"]) }
        #expect(throws: found) { try store.history() }
        #expect(throws: found) { try store.checkWhole() }
        #expect(try store.lastSeq() == 1)
    }

    @Test("damage in the history's pages is found before the history is read")
    func historyDamageBeforeRead() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try stateFile(in: dir, damaging: "parent_periods")
        let store = try StateStore(path: path, check: .deferringHistory)
        #expect(throws: StateError.self) { try store.history() }
        #expect(throws: StateError.self) { try store.recordLeads(["lead@x"]) }
    }

    @Test("opening checks the whole file unless asked to defer the history's part")
    func wholeAtOpening() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try stateFile(in: dir, damaging: "contact_periods")
        #expect(throws: StateError.self) { try StateStore(path: path) }
        #expect(throws: StateError.self) { try StateStore(directory: dir) }
    }

    @Test("damage outside the history is found at opening even when deferring")
    func otherDamageAtOpening() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try stateFile(in: dir, damaging: "open_alerts")
        #expect(throws: StateError.self) { try StateStore(path: path, check: .deferringHistory) }
    }

    @Test("an intact file passes the deferred check once, then is written as usual")
    func intactDeferred() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try stateFile(in: dir)
        let store = try StateStore(path: path, check: .deferringHistory)
        #expect(store.wholeCheckPending)
        #expect(try store.history().contacts.map(\.contactID) == ["C1"])
        #expect(!store.wholeCheckPending)
        try store.apply(TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "A2")], open: []), at: t0)
        #expect(try store.lastSeq() == 2)
        #expect(try !StateStore(path: path).wholeCheckPending)
    }

    /// Writes `transactions` transactions of 600 rows of about a page each.
    private func writePages(_ store: StateStore, transactions: Int) throws {
        for _ in 0..<transactions {
            try store.db.write { db in
                for _ in 0..<600 { try db.execute(sql: "INSERT INTO filler (b) VALUES (randomblob(4000))") }
            }
        }
    }

    @Test("checkpoints wait while held, and run automatically again once resumed")
    func heldCheckpoints() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try StateStore(path: dir + "/kamwatch.sqlite")
        try store.db.write { try $0.execute(sql: "CREATE TABLE filler (b BLOB)") }
        _ = try store.resumeCheckpoints()
        try store.holdCheckpoints()
        try writePages(store, transactions: 3)
        // Held: the three commits' pages are all still in the log.
        let held = try store.resumeCheckpoints()
        #expect(held.logFrames >= 1800)
        #expect(held.checkpointed == held.logFrames)
        // Resumed: the second commit passes 1000 pages and is copied; the third starts the log again.
        try writePages(store, transactions: 3)
        let resumed = try store.resumeCheckpoints()
        #expect(resumed.logFrames > 0)
        #expect(resumed.logFrames < 1000)
        #expect(try store.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 3600)
    }
}
