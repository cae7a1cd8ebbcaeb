import Foundation
import KamwatchDaemon
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchTestSupport
import KamwatchVocabulary
import Logging
import Synchronization
import Testing

/// The daemon records each evaluation's snapshot, and the alerts see the history it holds.
@Suite("Evaluator history")
struct EvaluatorHistoryTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// 2026-03-01 12:00 UTC.
    static let noon = Date(timeIntervalSince1970: 1_772_366_400)

    @Test("contacts gone and a parent changed on the next day fire contact-turnover and merger-exposure")
    func turnoverAndMergerAcrossDays() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for sub in ["data", "state"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
        }
        func export(parent: String, contacts: String) throws {
            try dir.write(
                "data/accounts.csv",
                "account_id,name,tier,parent_id\nA1,Alpha,strategic,\nA2,Beta,key,\(parent)\nP1,One,standard,\n"
                    + "P2,Two,standard,\n")
            try dir.write("data/contacts.csv", "contact_id,account_id\n" + contacts)
        }
        try export(parent: "P1", contacts: "c1,A1\nc2,A1\nc3,A2\nc4,A2\n")
        let store = try StateStore(directory: dir.path + "/state")
        let clock = Mutex(Self.noon)
        let emitter = try Emitter(
            store: store, journal: RecordingJournal(), lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: dir.path + "/outbox"), locale: .en, logger: logger)
        let evaluator = try Evaluator(
            rules: try RuleSet.load(directory: RulesDirectory.sourceTreeRules), locale: .en,
            timeZone: TimeZone(identifier: "UTC")!, dataDir: dir.path + "/data", store: store, emitter: emitter,
            now: { clock.withLock { $0 } }, logger: logger)
        func fired() throws -> [String] {
            try store.transitions(afterSeq: 0)
                .filter { ["contact-turnover", "merger-exposure"].contains($0.rule) }
                .map { "\($0.state.rawValue) \($0.rule) \($0.accountID) \($0.severity.rawValue)" }
        }

        try await evaluator.dataChanged(.everything)
        #expect(try fired().isEmpty)
        #expect(try store.history().days == ["2026-03-01"])

        // The next day: c1 is gone and A2 belongs to P2.
        clock.withLock { $0 = Self.noon.addingTimeInterval(86_400) }
        try export(parent: "P2", contacts: "c2,A1\nc3,A2\nc4,A2\n")
        try await evaluator.dataChanged(.everything)
        #expect(try fired() == ["firing contact-turnover A1 warning", "firing merger-exposure A2 warning"])
        #expect(try store.history().days == ["2026-03-01", "2026-03-02"])

        // The day after: c2 is gone too.
        clock.withLock { $0 = Self.noon.addingTimeInterval(2 * 86_400) }
        try export(parent: "P2", contacts: "c3,A2\nc4,A2\n")
        try await evaluator.dataChanged(.everything)
        #expect(
            try fired() == [
                "firing contact-turnover A1 warning", "firing merger-exposure A2 warning",
                "firing contact-turnover A1 critical",
            ])
        let periods = try store.history().contacts.map { "\($0.contactID) \($0.missingFrom ?? "-")" }
        #expect(periods == ["c1 2026-03-02", "c2 2026-03-03", "c3 -", "c4 -"])
    }

    @Test("start-up records a first day's snapshot after READY=1, and a later day's before evaluating")
    func firstDayDeferred() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for sub in ["data", "state"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
        }
        func export(contacts: String) throws {
            try dir.write("data/accounts.csv", "account_id,name,tier,parent_id\nA1,Alpha,strategic,\n")
            try dir.write("data/contacts.csv", "contact_id,account_id\n" + contacts)
        }
        try export(contacts: "c1,A1\nc2,A1\n")
        let store = try StateStore(directory: dir.path + "/state")
        let clock = Mutex(Self.noon)
        func evaluator() throws -> Evaluator {
            let emitter = try Emitter(
                store: store, journal: RecordingJournal(), lookup: FixedLookup(seqs: []),
                outbox: try OutboxWriter(outboxDir: dir.path + "/outbox"), locale: .en, logger: logger)
            return try Evaluator(
                rules: try RuleSet.load(directory: RulesDirectory.sourceTreeRules), locale: .en,
                timeZone: TimeZone(identifier: "UTC")!, dataDir: dir.path + "/data", store: store, emitter: emitter,
                now: { clock.withLock { $0 } }, logger: logger)
        }

        // A new state: the first evaluation leaves the snapshot for after READY=1.
        let first = try evaluator()
        try await first.firstEvaluation()
        #expect(try store.history().days.isEmpty)
        try await first.recordDeferredHistory()
        #expect(try store.history().days == ["2026-03-01"])
        #expect(try store.history().contacts.map(\.contactID) == ["c1", "c2"])
        // Once only.
        try await first.recordDeferredHistory()
        #expect(try store.history().days == ["2026-03-01"])
        // The memory holds the day as recorded: a change later that day writes the difference.
        try export(contacts: "c1,A1\nc3,A1\n")
        try await first.dataChanged(.everything)
        #expect(try store.history().contacts.map(\.contactID) == ["c1", "c3"])

        // A restart on the same day: the day alone is compared with the files, and written again
        // only when they differ.
        try export(contacts: "c1,A1\nc2,A1\nc3,A1\n")
        let again = try evaluator()
        try await again.firstEvaluation()
        #expect(try store.history().contacts.map(\.contactID) == ["c1", "c3"])
        try await again.recordDeferredHistory()
        #expect(try store.history().contacts.map(\.contactID) == ["c1", "c2", "c3"])
        #expect(try store.history().days == ["2026-03-01"])

        // A restart on the next day: the earlier day counts, so the snapshot is recorded at once.
        clock.withLock { $0 = Self.noon.addingTimeInterval(86_400) }
        try export(contacts: "c2,A1\n")
        let second = try evaluator()
        try await second.firstEvaluation()
        #expect(try store.history().days == ["2026-03-01", "2026-03-02"])
        let periods = try store.history().contacts.map { "\($0.contactID) \($0.missingFrom ?? "-")" }
        #expect(periods == ["c1 2026-03-02", "c2 -", "c3 2026-03-02"])
        try await second.recordDeferredHistory()
        #expect(try store.history().days == ["2026-03-01", "2026-03-02"])
    }
}
