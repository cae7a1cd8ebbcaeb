import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchTestSupport
import KamwatchVocabulary
import Logging
import Testing

@testable import KamwatchDaemon

/// Start-up reads the data on a thread of its own while the state opens (`FirstRead`): the
/// first evaluation then sees exactly what a read on the evaluator's thread gives.
@Suite("First read")
struct FirstReadTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// 2026-11-20 12:00 UTC.
    let noon = Date(timeIntervalSince1970: 1_795_176_000)

    func evaluator(_ f: EvaluatorTests.Fixture) throws -> Evaluator {
        let emitter = try Emitter(
            store: f.store, journal: f.journal, lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: f.dir.path + "/outbox"), locale: .en, logger: logger)
        let now = noon
        return try Evaluator(
            rules: f.rules, locale: .en, timeZone: TimeZone(identifier: "UTC")!, dataDir: f.dir.path + "/data",
            store: f.store, emitter: emitter, now: { now }, logger: logger)
    }

    func read(_ f: EvaluatorTests.Fixture) -> FirstRead {
        FirstRead(Evaluator.emptyCache(rules: f.rules, dataDir: f.dir.path + "/data", sources: nil), logger: logger)
    }

    func log(_ f: EvaluatorTests.Fixture) throws -> [String] {
        try f.store.transitions(afterSeq: 0).map {
            "\($0.seq) \($0.state.rawValue) \($0.rule) \($0.accountID) \($0.severity.rawValue) \($0.evidence)"
        }
    }

    func open(_ f: EvaluatorTests.Fixture) throws -> [String] {
        try f.store.openAlerts().map { "\($0.rule) \($0.accountID) \($0.severity.rawValue) \($0.alert.message)" }
    }

    @Test("the first evaluation of a read done beforehand records and emits what one reading itself does")
    func sameAsReadingOnTheEvaluator() async throws {
        let inline = try EvaluatorTests.Fixture()
        defer { inline.dir.remove() }
        let ahead = try EvaluatorTests.Fixture()
        defer { ahead.dir.remove() }
        try await evaluator(inline).firstEvaluation()
        try await evaluator(ahead).firstEvaluation(reading: read(ahead))
        #expect(try !log(inline).isEmpty)
        #expect(try log(ahead) == log(inline))
        #expect(try open(ahead) == open(inline))
        #expect(ahead.journal.entries.count == inline.journal.entries.count)
        #expect(try ahead.store.knownLeads() == inline.store.knownLeads())
    }

    @Test("a restart keeps the leads recorded when they are the same, and records them when they changed")
    func leadsAtRestart() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        try await evaluator(f).firstEvaluation(reading: read(f))
        #expect(try f.store.knownLeads() == ["lead@x.org"])
        try await evaluator(f).firstEvaluation(reading: read(f))
        #expect(try f.store.knownLeads() == ["lead@x.org"])
        try f.dir.write(
            "data/accounts.csv",
            "account_id,name,tier,owner,lead\nA1,Alpha,key,kam1,lead@x.org\nA2,Beta,strategic,kam2,other@x.org\n")
        try await evaluator(f).firstEvaluation(reading: read(f))
        #expect(try f.store.knownLeads() == ["lead@x.org", "other@x.org"])
        // No lead left: none is recorded.
        try f.dir.write("data/accounts.csv", "account_id,name,tier,owner,lead\nA1,Alpha,key,kam1,\n")
        try await evaluator(f).firstEvaluation(reading: read(f))
        #expect(try f.store.knownLeads() == [])
    }

    @Test("a start-up cancelled while reading stops the read and records nothing")
    func cancelled() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f)
        let r = read(f)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await e.firstEvaluation(reading: r)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try f.store.lastSeq() == 0)
        #expect(f.journal.entries.isEmpty)
    }

    @Test("a read of a directory without accounts says so, and nothing is evaluated")
    func noAccounts() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        try FileManager.default.removeItem(atPath: f.dir.path + "/data/accounts.csv")
        let done = read(f).wait()
        #expect(done.problem?.contains("no accounts table") == true)
        try await evaluator(f).firstEvaluation(reading: read(f))
        #expect(try f.store.lastSeq() == 0)
    }
}
