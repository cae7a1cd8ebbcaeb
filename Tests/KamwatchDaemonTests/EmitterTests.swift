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

/// A journal search that answers from a fixed set.
struct FixedLookup: JournalLookup {
    var seqs: Set<Int64>
    var fails = false
    func presentSeqs(instance: String, since: Date) throws -> Set<Int64> {
        if fails { throw JournalLookupError(reason: "test") }
        return seqs
    }
}

@Suite("Emission")
struct EmitterTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    func make(
        _ dir: TemporaryDirectory, _ store: StateStore, lookup: FixedLookup = FixedLookup(seqs: [])
    )
        throws -> (Emitter, RecordingJournal, OutboxWriter)
    {
        let journal = RecordingJournal()
        let outbox = try OutboxWriter(outboxDir: dir.path)
        let emitter = try Emitter(
            store: store, journal: journal, lookup: lookup, outbox: outbox, locale: .en, logger: logger)
        return (emitter, journal, outbox)
    }

    @Test("emitted transitions reach both channels and are marked")
    func emit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let (emitter, journal, outbox) = try make(dir, store)
        let records = try Records.record(2, in: store)
        try emitter.emit(records)
        #expect(try store.pendingEmissions().isEmpty)
        #expect(try outbox.presentSeqs() == [1, 2])
        #expect(journal.entries.map { $0["KAMWATCH_SEQ"] } == ["1", "2"])
        let entry = journal.entries[0]
        #expect(entry["MESSAGE"] == "single-contact warning: Acme A1 (A1): one contact left")
        #expect(entry["PRIORITY"] == "4")
        #expect(entry["MESSAGE_ID"] == "d3ef266d21464f3ebf6edc5db71007bf")
        #expect(entry["SYSLOG_IDENTIFIER"] == "kamwatch")
        #expect(entry["KAMWATCH_RULE"] == "single-contact")
        #expect(entry["KAMWATCH_ACCOUNT_ID"] == "A1")
        #expect(entry["KAMWATCH_ACCOUNT"] == "Acme A1")
        #expect(entry["KAMWATCH_SEVERITY"] == "warning")
        #expect(entry["KAMWATCH_STATE"] == "firing")
        #expect(entry["KAMWATCH_OWNER"] == "kam@x.org")
        #expect(entry["KAMWATCH_LEAD"] == "lead@x.org")
        #expect(entry["KAMWATCH_EVIDENCE"] == #"{"n":1}"#)
        #expect(entry["KAMWATCH_INSTANCE"] == (try store.instanceID()))
    }

    @Test("priority: critical 2, warning 4, resolved 5")
    func priorities() {
        let r = Records.snapshot("r", "1", .critical)
        let firing = TransitionRecord(
            seq: 1, time: Records.t0, state: .firing,
            alert: Alert(
                rule: r.rule, accountID: r.accountID, accountName: r.accountName, severity: .critical, message: "m",
                evidence: [:], owner: nil, lead: nil),
            previousSeverity: nil)
        var warning = firing
        warning.alert.severity = .warning
        var resolved = firing
        resolved.state = .resolved
        #expect(AlertJournalEntry.priority(firing) == .critical)
        #expect(AlertJournalEntry.priority(warning) == .warning)
        #expect(AlertJournalEntry.priority(resolved) == .notice)
        #expect(AlertJournalEntry.message(resolved, locale: .ru) == "r снято: Acme 1 (1): m")
    }

    @Test("recovery finishes what was recorded but not marked, without duplicates")
    func recovery() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let records = try Records.record(4, in: store)
        // Before the crash: seq 1 fully emitted; seq 2 written to the outbox, not marked;
        // seq 3 sent to the journal, not marked; seq 4 nowhere.
        let (before, journalBefore, outbox) = try make(dir, store)
        try before.emit([records[0]])
        try outbox.write(records[1])
        _ = journalBefore

        let (after, journal, _) = try make(dir, store, lookup: FixedLookup(seqs: [1, 3]))
        let redone = try after.recover()
        #expect(redone.outbox == 2)  // seqs 3 and 4
        #expect(redone.journal == 2)  // seqs 2 and 4
        #expect(journal.entries.map { $0["KAMWATCH_SEQ"] } == ["2", "4"])
        #expect(try outbox.presentSeqs() == [1, 2, 3, 4])
        #expect(try store.pendingEmissions().isEmpty)
        let again = try after.recover()
        #expect(again.outbox == 0 && again.journal == 0)
    }

    @Test("when the journal cannot be searched, unmarked entries are sent again rather than lost")
    func recoveryWithoutJournal() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        _ = try Records.record(1, in: store)
        let (emitter, journal, _) = try make(dir, store, lookup: FixedLookup(seqs: [], fails: true))
        try emitter.recover()
        #expect(journal.entries.count == 1)
        #expect(try store.pendingEmissions().isEmpty)
    }

    /// A journal that takes `limit` entries, then refuses every one (journald stopped).
    final class StoppingJournal: JournalSink {
        let limit: Int
        let taken = Mutex<[JournalEntry]>([])
        init(limit: Int) { self.limit = limit }
        func send(_ entry: JournalEntry) throws {
            try taken.withLock {
                guard $0.count < limit else { throw JournalUnavailable(errno: ECONNREFUSED) }
                $0.append(entry)
            }
        }
    }

    @Test("a big batch reaches both channels at once, each transition once, all marked")
    func bigBatch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let (emitter, journal, outbox) = try make(dir, store)
        let records = try Records.record(Emitter.concurrentThreshold + 45, in: store)
        let timings = try emitter.emit(records)
        // Each channel's time is its own, measured on its own thread.
        #expect(timings.outbox > .zero)
        #expect(timings.journal > .zero)
        #expect(timings.outbox != timings.journal)
        // Nothing was written ahead: no wait for it.
        #expect(timings.outboxAhead == .zero)
        #expect(try store.pendingEmissions().isEmpty)
        #expect(try outbox.presentSeqs() == Set(records.map(\.seq)))
        #expect(journal.entries.map { $0["KAMWATCH_SEQ"] } == records.map { String($0.seq) })
    }

    @Test("a big batch written ahead: the wait for its files is timed apart, within the outbox's time")
    func bigBatchWrittenAhead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let (emitter, journal, outbox) = try make(dir, store)
        let records = try Records.record(Emitter.concurrentThreshold + 45, in: store)
        let timings = try emitter.emit(records, ahead: outbox.writeAhead(records))
        #expect(timings.outboxAhead > .zero)
        #expect(timings.outboxAhead <= timings.outbox)
        #expect(try store.pendingEmissions().isEmpty)
        #expect(try outbox.presentSeqs() == Set(records.map(\.seq)))
        #expect(journal.entries.count == records.count)
    }

    @Test("in a big batch, journal entries sent before journald stopped are marked, the rest sent at recovery")
    func bigBatchJournalStops() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let stopping = StoppingJournal(limit: 100)
        let outbox = try OutboxWriter(outboxDir: dir.path)
        let emitter = try Emitter(
            store: store, journal: stopping, lookup: FixedLookup(seqs: []), outbox: outbox, locale: .en,
            logger: logger)
        let records = try Records.record(Emitter.concurrentThreshold + 1, in: store)
        #expect(throws: JournalUnavailable.self) { try emitter.emit(records) }
        let pending = try store.pendingEmissions()
        #expect(pending.map(\.seq) == Array(records.map(\.seq).dropFirst(100)))
        #expect(pending.allSatisfy { $0.emittedOutbox && !$0.emittedJournal })
        #expect(try outbox.presentSeqs() == Set(records.map(\.seq)))

        let (after, journal, _) = try make(dir, store)
        let redone = try after.recover()
        #expect(redone.outbox == 0 && redone.journal == records.count - 100)
        #expect(journal.entries.map { $0["KAMWATCH_SEQ"] } == pending.map { String($0.seq) })
        #expect(try store.pendingEmissions().isEmpty)
    }
}
