import Foundation
import GRDB
import KamwatchRules
import KamwatchVocabulary
import Testing

@testable import KamwatchState

@Suite("State store")
struct StateStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("migrations create an empty store in memory")
    func emptyInMemory() throws {
        let store = try StateStore.inMemory()
        #expect(try store.openAlerts().isEmpty)
        #expect(try store.lastSeq() == 0)
        #expect(try store.lastDigest() == nil)
        #expect(try store.instanceID().count == 32)
    }

    @Test("the known leads are replaced as a whole")
    func knownLeads() throws {
        let store = try StateStore.inMemory()
        try store.recordLeads(["b@x.org", "a@x.org"])
        #expect(try store.knownLeads() == ["a@x.org", "b@x.org"])
        try store.recordLeads(["c@x.org"])
        #expect(try store.knownLeads() == ["c@x.org"])
    }

    @Test("an alert keeps its message in both languages")
    func messagesSurvive() throws {
        let store = try StateStore.inMemory()
        var a = TestAlerts.snapshot("single-contact", "A1", .warning)
        a.messages = LocalizedText(en: "One contact.", ru: "Один контакт.")
        let records = try store.apply(TransitionPlanner.plan(current: [a], open: []), at: t0)
        #expect(try store.openAlerts().first?.messages == a.messages)
        #expect(try store.transitions(afterSeq: 0).first?.messages == a.messages)
        #expect(records.count == 1)
    }

    @Test("applying a plan logs transitions with increasing seqs and updates open alerts")
    func applyPlan() throws {
        let store = try StateStore.inMemory()
        let a = TestAlerts.snapshot("single-contact", "A1", .warning)
        let b = TestAlerts.snapshot("discount-creep", "A2", .critical)
        let first = try store.apply(TransitionPlanner.plan(current: [a, b], open: []), at: t0)
        #expect(first.map(\.seq) == [1, 2])
        #expect(first.map(\.rule) == ["discount-creep", "single-contact"])
        #expect(try store.openAlerts().map(\.key) == [b.key, a.key])

        var a2 = a
        a2.severity = .critical
        let t1 = t0.addingTimeInterval(60)
        let second = try store.apply(TransitionPlanner.plan(current: [a2], open: try store.openAlerts()), at: t1)
        #expect(second.map(\.seq) == [3, 4])
        #expect(second.map(\.state) == [.resolved, .firing])
        #expect(second[1].previousSeverity == .warning)
        let open = try store.openAlerts()
        #expect(open.count == 1)
        #expect(open[0].severity == .critical)
        #expect(open[0].since == t0, "a severity change keeps the time it started firing")

        #expect(try store.transitions(afterSeq: 2).map(\.seq) == [3, 4])
        #expect(try store.transitions(from: t0, to: t1).map(\.seq) == [1, 2])
        #expect(try store.transitions(afterSeq: 0) == first + second)
    }

    @Test("pending emissions are those not marked for both channels")
    func pending() throws {
        let store = try StateStore.inMemory()
        let plan = TransitionPlanner.plan(
            current: [TestAlerts.snapshot("r", "1"), TestAlerts.snapshot("r", "2"), TestAlerts.snapshot("r", "3")],
            open: [])
        try store.apply(plan, at: t0)
        try store.markEmitted([1, 2], to: .journal)
        try store.markEmitted([1, 3], to: .outbox)
        let pending = try store.pendingEmissions()
        #expect(pending.map(\.seq) == [2, 3])
        #expect(pending.map(\.emittedJournal) == [true, false])
        #expect(pending.map(\.emittedOutbox) == [false, true])
    }

    @Test("marking by runs of seqs marks exactly the seqs given")
    func markRuns() throws {
        #expect(StateStore.seqRuns([]) == [])
        #expect(StateStore.seqRuns([5]) == [5...5])
        #expect(StateStore.seqRuns([1, 2, 3, 7, 8, 10]) == [1...3, 7...8, 10...10])
        #expect(StateStore.seqRuns([9, 3, 4, 3, 8, 2]) == [2...4, 8...9])
        let store = try StateStore.inMemory()
        let plan = TransitionPlanner.plan(
            current: (1...12).map { TestAlerts.snapshot("r", "\($0)") }, open: [])
        try store.apply(plan, at: t0)
        try store.markEmitted(outbox: [2, 3, 4, 9, 11, 12], journal: [12, 1, 2, 5, 6, 7])
        try store.markEmitted([8, 10], to: .journal)
        let pending = try store.pendingEmissions()
        #expect(pending.map(\.seq) == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(pending.filter(\.emittedOutbox).map(\.seq) == [3, 4, 9, 11])
        #expect(pending.filter(\.emittedJournal).map(\.seq) == [1, 5, 6, 7, 8, 10])
    }

    @Test("digests are recorded once per date and lead")
    func digests() throws {
        let store = try StateStore.inMemory()
        #expect(try store.recordDigest(date: "2026-11-20", lead: "a@x", uptoSeq: 5, writtenAt: t0))
        #expect(!(try store.recordDigest(date: "2026-11-20", lead: "a@x", uptoSeq: 9, writtenAt: t0)))
        try store.recordDigest(date: "2026-11-21", lead: "a@x", uptoSeq: 7, writtenAt: t0)
        #expect(try store.digestExists(date: "2026-11-20", lead: "a@x"))
        #expect(!(try store.digestExists(date: "2026-11-20", lead: "b@x")))
        #expect(try store.lastDigest() == DigestRecord(date: "2026-11-21", lead: "a@x", uptoSeq: 7, writtenAt: t0))
        #expect(try store.digests(date: "2026-11-20").map(\.uptoSeq) == [5])
    }

    @Test("a file store survives reopening, read-only too")
    func reopen() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let store = try StateStore(directory: dir)
            try store.apply(TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "1")], open: []), at: t0)
        }
        let reader = try StateStore(directory: dir, readOnly: true)
        #expect(try reader.openAlerts().map(\.accountID) == ["1"])
        #expect(try reader.lastSeq() == 1)
    }

    @Test("a seq is never reused, even after the log's last row is gone")
    func seqNeverReused() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sqlite"
        try StateStore(path: path).apply(
            TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "1")], open: []), at: t0)
        try DatabaseQueue(path: path).write { try $0.execute(sql: "DELETE FROM transitions") }
        let records = try StateStore(path: path).apply(
            TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "2")], open: []), at: t0)
        #expect(records.map(\.seq) == [2])
    }

    @Test("a file that is not a database is a clear error, never an empty state")
    func corruptFile() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/kamwatch.sqlite"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect(throws: StateError.unreadable(path: path, reason: "file is not a database")) {
            try StateStore(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x41, count: 8192))
    }

    @Test("read-only opening of a missing file says so")
    func missingReadOnly() throws {
        #expect(throws: StateError.missing(path: "/nonexistent/kamwatch.sqlite")) {
            try StateStore(path: "/nonexistent/kamwatch.sqlite", readOnly: true)
        }
    }

    @Test("a database from a newer kamwatch is refused")
    func newerSchema() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sqlite"
        _ = try StateStore(path: path)
        try DatabaseQueue(path: path).write {
            try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
        }
        #expect(throws: StateError.newerSchema(path: path, unknown: ["v99-future"])) { try StateStore(path: path) }
    }
}
