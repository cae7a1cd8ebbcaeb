import Foundation
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchVocabulary
import Logging
import Synchronization

/// Emits recorded transitions to the outbox and the journal exactly once.
///
/// Transitions are first recorded (with their seq) in the state database; then each channel is
/// written and its flag set. After a crash, `recover()` finishes what was recorded but not
/// marked: an outbox file for the seq that already exists counts as written, and the journal is
/// searched for the seq before an entry is sent again.
public struct Emitter: Sendable {
    let store: StateStore
    let journal: any JournalSink
    let lookup: any JournalLookup
    let outbox: OutboxWriter
    let instance: String
    var locale: Language
    let logger: Logger

    public init(
        store: StateStore, journal: any JournalSink, lookup: any JournalLookup, outbox: OutboxWriter,
        locale: Language, logger: Logger
    ) throws {
        self.store = store
        self.journal = journal
        self.lookup = lookup
        self.outbox = outbox
        self.instance = try store.instanceID()
        self.locale = locale
        self.logger = logger
    }

    /// How long each channel of an emission took (for the daemon's log).
    public struct Timings: Sendable, Equatable {
        /// The outbox files: named (or written), their directory synced.
        public var outbox: Duration = .zero
        /// Of `outbox`, the wait for the files written ahead (and made durable) while the
        /// transitions were recorded; zero when none were.
        public var outboxAhead: Duration = .zero
        /// The journal entries, until journald took the last one.
        public var journal: Duration = .zero
    }

    /// Writes `records` (just recorded) to the outbox, then to the journal, marking each channel.
    /// A silenced transition was recorded as needing no outbox file. A big batch writes both
    /// channels at the same time; the timings say which of the two took longer.
    @discardableResult
    public func emit(_ records: [TransitionRecord], ahead: OutboxWriter.Ahead? = nil) throws -> Timings {
        let toOutbox = records.filter { !$0.emittedOutbox }
        let clock = ContinuousClock()
        guard records.count > Self.concurrentThreshold else {
            ahead?.discard()
            var timings = Timings()
            timings.outbox = try clock.measure { try writeOutbox(toOutbox) }
            timings.journal = try clock.measure { try sendJournal(records) }
            return timings
        }
        // A big batch (a first start): the journal entries are sent on a second thread while the
        // outbox files are written; each channel is marked only once done (the files after the
        // directory's fsync), both in one transaction.
        let journalSent = Mutex<(seqs: [Int64], error: (any Error)?)>(([], nil))
        let outboxError = Mutex<(any Error)?>(nil)
        let timings = Mutex(Timings())
        let start = clock.now
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                do {
                    if let ahead {
                        let waited = clock.measure { _ = ahead.wait() }
                        timings.withLock { $0.outboxAhead = waited }
                        try outbox.publish(toOutbox, ahead: ahead)
                    } else {
                        try outbox.write(toOutbox)
                    }
                    try outbox.syncDirectory()
                } catch {
                    outboxError.withLock { $0 = error }
                }
                let took = clock.now - start
                timings.withLock { $0.outbox = took }
            } else {
                var sent: [Int64] = []
                sent.reserveCapacity(records.count)
                var failure: (any Error)?
                for r in records {
                    do {
                        try journal.deliver(AlertJournalEntry.make(r, instance: instance, locale: locale))
                    } catch {
                        failure = error
                        break
                    }
                    sent.append(r.seq)
                }
                let took = clock.now - start
                timings.withLock { $0.journal = took }
                journalSent.withLock { $0 = (sent, failure) }
            }
        }
        let failedOutbox = outboxError.withLock { $0 }
        let (sent, failedJournal) = journalSent.withLock { $0 }
        try store.markEmitted(outbox: failedOutbox == nil ? toOutbox.map(\.seq) : [], journal: sent)
        if let failedOutbox { throw failedOutbox }
        if let failedJournal { throw failedJournal }
        return timings.withLock { $0 }
    }

    /// Above this many transitions, the journal and the outbox are written at the same time.
    public static let concurrentThreshold = 256

    /// Starts writing the outbox files of `plan`'s transitions while they are recorded (a big
    /// plan only): their seqs are foreseen from `firstSeq`, the one the log gives next. Pass the
    /// result to `emit` once recorded, or `discard()` it when recording failed.
    public func writeAhead(_ plan: TransitionPlan, at time: Date, firstSeq: Int64) -> OutboxWriter.Ahead? {
        guard plan.transitions.count > Self.concurrentThreshold else { return nil }
        var records: [TransitionRecord] = []
        records.reserveCapacity(plan.transitions.count)
        for (i, t) in plan.transitions.enumerated() where t.silenceID == nil {
            records.append(
                TransitionRecord(
                    seq: firstSeq + Int64(i), time: time, state: t.state, alert: t.alert,
                    previousSeverity: t.previousSeverity))
        }
        return outbox.writeAhead(records)
    }

    /// Journals input problems just recorded as raised or resolved.
    public func emitHealth(raised: [HealthProblem], resolved: [HealthProblem]) throws {
        for p in raised { try journal.send(HealthJournalEntry.make(p, raised: true)) }
        for p in resolved { try journal.send(HealthJournalEntry.make(p, raised: false)) }
    }

    /// Finishes transitions recorded but not marked emitted; returns how many were re-sent or re-written.
    @discardableResult
    public func recover() throws -> (outbox: Int, journal: Int) {
        outbox.removeStaleTemporaries()
        let pending = try store.pendingEmissions()
        if pending.isEmpty { return (0, 0) }

        let needOutbox = pending.filter { !$0.emittedOutbox }
        let present = try outbox.presentSeqs()
        try store.markEmitted(needOutbox.map(\.seq).filter(present.contains), to: .outbox)
        let outboxMissing = needOutbox.filter { !present.contains($0.seq) }
        try writeOutbox(outboxMissing)

        let needJournal = pending.filter { !$0.emittedJournal }
        var inJournal = Set<Int64>()
        if let earliest = needJournal.map(\.time).min() {
            do {
                inJournal = try lookup.presentSeqs(instance: instance, since: earliest)
            } catch {
                logger.warning(
                    "cannot check the journal for entries sent before a crash; sending them again",
                    metadata: ["error": "\(error)"])
            }
        }
        try store.markEmitted(needJournal.map(\.seq).filter(inJournal.contains), to: .journal)
        let journalMissing = needJournal.filter { !inJournal.contains($0.seq) }
        try sendJournal(journalMissing)
        if !outboxMissing.isEmpty || !journalMissing.isEmpty {
            logger.notice(
                "finished transitions recorded before a restart",
                metadata: ["outbox": "\(outboxMissing.count)", "journal": "\(journalMissing.count)"])
        }
        return (outboxMissing.count, journalMissing.count)
    }

    private func writeOutbox(_ records: [TransitionRecord]) throws {
        if records.isEmpty { return }
        try outbox.write(records)
        try outbox.syncDirectory()
        try store.markEmitted(records.map(\.seq), to: .outbox)
    }

    private func sendJournal(_ records: [TransitionRecord]) throws {
        if records.isEmpty { return }
        // When journald stops taking entries, those it took are marked: they are not sent again.
        var sent: [Int64] = []
        for r in records {
            do {
                try journal.deliver(AlertJournalEntry.make(r, instance: instance, locale: locale))
            } catch {
                try store.markEmitted(sent, to: .journal)
                throw error
            }
            sent.append(r.seq)
        }
        try store.markEmitted(sent, to: .journal)
    }
}
