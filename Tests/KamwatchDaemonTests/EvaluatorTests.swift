import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchTestSupport
import KamwatchVocabulary
import Logging
import Testing

/// The pipeline on a small book with the shipped rules: what fires, what stays quiet, what resolves.
@Suite("Evaluator")
struct EvaluatorTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// 2026-11-20 12:00 UTC.
    let noon = Date(timeIntervalSince1970: 1_795_176_000)

    struct Fixture {
        let dir: TemporaryDirectory
        let store: StateStore
        let journal = RecordingJournal()
        let rules: RuleSet

        init() throws {
            dir = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: dir.path + "/data", withIntermediateDirectories: true)
            try dir.write(
                "data/accounts.csv",
                "account_id,name,tier,owner,lead\nA1,Alpha,key,kam1,lead@x.org\nA2,Beta,strategic,kam2,\nA3,Gamma,standard,,\n"
            )
            try dir.write(
                "data/contacts.csv",
                "contact_id,account_id,name,role,since,until\nC1,A1,Ann,CEO,2020-01-01,\n")
            try FileManager.default.createDirectory(atPath: dir.path + "/state-db", withIntermediateDirectories: true)
            store = try StateStore(directory: dir.path + "/state-db")
            rules = try RuleSet.load(directory: RulesDirectory.sourceTreeRules)
        }

        func singleContact() throws -> [String] {
            try store.transitions(afterSeq: 0).filter { $0.rule == "single-contact" }
                .map { "\($0.state.rawValue) \($0.accountID) \($0.severity.rawValue)" }
        }
    }

    func evaluator(_ f: Fixture, rules: RuleSet? = nil) throws -> Evaluator {
        let emitter = try Emitter(
            store: f.store, journal: f.journal, lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: f.dir.path + "/outbox"), locale: .en, logger: logger)
        let now = noon
        return try Evaluator(
            rules: rules ?? f.rules, locale: .en, timeZone: TimeZone(identifier: "UTC")!, dataDir: f.dir.path + "/data",
            store: f.store, emitter: emitter, now: { now }, logger: logger)
    }

    @Test("alerts fire once; evaluating again or restarting emits nothing")
    func firesOnce() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let first = try evaluator(f)
        try await first.dataChanged(.everything)
        #expect(try f.singleContact() == ["firing A1 warning", "firing A2 critical"])
        let count = try f.store.lastSeq()
        #expect(f.journal.entries.count == count)
        try await first.reevaluate()
        let restarted = try evaluator(f)
        try await restarted.dataChanged(.everything)
        #expect(try f.store.lastSeq() == count)
        #expect(try f.store.pendingEmissions().isEmpty)
    }

    @Test("the leads the accounts table names are recorded for the digest")
    func recordsLeads() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        try await evaluator(f).dataChanged(.everything)
        #expect(try f.store.knownLeads() == ["lead@x.org"])
    }

    @Test("only the difference is emitted when data changes")
    func change() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f)
        try await e.dataChanged(.everything)
        let before = try f.store.lastSeq()
        try f.dir.write(
            "data/contacts.csv",
            "contact_id,account_id,name,role,since,until\nC1,A1,Ann,CEO,2020-01-01,\nC2,A2,Bob,CFO,2020-01-01,\n")
        try await e.dataChanged(DataChange(tables: [.contacts]))
        let after = try f.store.transitions(afterSeq: before).filter { $0.rule == "single-contact" }
        #expect(
            after.map {
                "\($0.state.rawValue) \($0.accountID) \($0.severity.rawValue) \($0.previousSeverity?.rawValue ?? "-")"
            } == ["firing A2 warning critical"])
    }

    @Test("a rule removed from the set resolves its alerts")
    func removedRule() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f)
        try await e.dataChanged(.everything)
        let without = RuleSet(rules: f.rules.rules.filter { $0.id != "single-contact" })
        try await e.replace(rules: without, locale: .en, timeZone: TimeZone(identifier: "UTC")!)
        #expect(
            try f.singleContact() == [
                "firing A1 warning", "firing A2 critical", "resolved A1 warning", "resolved A2 critical",
            ])
        #expect(try f.store.openAlerts().allSatisfy { $0.rule != "single-contact" })
    }

    @Test("new rules that read a column the data was read without get the data read again")
    func rulesReadingMoreColumns() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f)
        try await e.dataChanged(.everything)
        // No shipped rule reads contact names, so they were not kept.
        let text = """
            version: 1
            id: knows-ann
            title: Ann is the contact
            let:
              n: count(contacts where name == "Ann")
            when: n > 0
            severity: warning
            evidence:
              n: n
            message: "{n}"
            """
        let rule = try RuleSet.compile(file: "knows-ann.yaml", text: text).get()
        try await e.replace(
            rules: RuleSet(rules: f.rules.rules + [rule]), locale: .en, timeZone: TimeZone(identifier: "UTC")!)
        let fired = try f.store.transitions(afterSeq: 0).filter { $0.rule == "knows-ann" }
        #expect(fired.map { "\($0.state.rawValue) \($0.accountID)" } == ["firing A1"])
    }

    @Test("a table whose file cannot be read keeps its last good contents")
    func unreadableKeepsLastGood() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f)
        try await e.dataChanged(.everything)
        let before = try f.store.lastSeq()
        try f.dir.write("data/contacts.csv", "")  // no header: the file cannot be read
        try await e.dataChanged(DataChange(tables: [.contacts]))
        #expect(try f.store.lastSeq() == before)
    }

    @Test("without an accounts table nothing resolves")
    func noAccounts() async throws {
        let f = try Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f)
        try await e.dataChanged(.everything)
        let before = try f.store.lastSeq()
        try FileManager.default.removeItem(atPath: f.dir.path + "/data/accounts.csv")
        try await e.dataChanged(DataChange(tables: [.accounts]))
        #expect(try f.store.lastSeq() == before)
        #expect(await e.status.lastError != nil)
    }
}

@Suite("Evaluator, failed emission")
struct EvaluatorEmissionFailureTests {
    @Test("transitions whose emission failed are emitted with the next evaluation, once")
    func retried() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let outboxDir = f.dir.path + "/outbox"
        let emitter = try Emitter(
            store: f.store, journal: f.journal, lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: outboxDir), locale: .en, logger: logger)
        let noon = Date(timeIntervalSince1970: 1_795_176_000)
        let e = try Evaluator(
            rules: f.rules, locale: .en, timeZone: TimeZone(identifier: "UTC")!, dataDir: f.dir.path + "/data",
            store: f.store, emitter: emitter, now: { noon }, logger: logger)
        // The outbox directory disappears: writing fails, the transitions stay recorded.
        try FileManager.default.removeItem(atPath: outboxDir + "/alerts")
        await #expect(throws: OutboxError.self) { try await e.dataChanged(.everything) }
        let recorded = try f.store.lastSeq()
        #expect(recorded > 0)
        #expect(try f.store.pendingEmissions().count == recorded)
        try FileManager.default.createDirectory(atPath: outboxDir + "/alerts", withIntermediateDirectories: true)
        try await e.reevaluate()
        #expect(try f.store.pendingEmissions().isEmpty)
        #expect(try f.store.lastSeq() == recorded)
        #expect(f.journal.entries.count == recorded)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outboxDir + "/alerts").count == recorded)
    }
}
