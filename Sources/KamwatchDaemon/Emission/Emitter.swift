import Foundation
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchVocabulary
import Logging

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

    /// Writes `records` (just recorded) to the outbox, then to the journal, marking each channel.
    /// A silenced transition was recorded as needing no outbox file.
    public func emit(_ records: [TransitionRecord]) throws {
        try writeOutbox(records.filter { !$0.emittedOutbox })
        try sendJournal(records)
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
        for r in records { try journal.send(AlertJournalEntry.make(r, instance: instance, locale: locale)) }
        try store.markEmitted(records.map(\.seq), to: .journal)
    }
}
