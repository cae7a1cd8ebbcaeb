import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState

/// The digest's view of the daemon's state database.
///
/// Reads through a read-only connection (safe while the daemon writes: the file is in WAL
/// mode); a writable connection is opened only to record a digest that was written.
public final class StoreDigestState: DigestState {
    private let reader: StateStore
    private let openWriter: () throws -> StateStore
    private var writer: StateStore?

    /// Reads `store`; records digests through `writer`, opened on first use.
    public init(reading store: StateStore, writer: @escaping () throws -> StateStore) {
        reader = store
        openWriter = writer
    }

    /// The database file at `path`: read-only for reading, writable only to record.
    public convenience init(path: String) throws {
        self.init(reading: try StateStore(path: path, readOnly: true)) {
            try StateStore(path: path, readOnly: false)
        }
    }

    public func transitions(before end: Date) throws -> [DigestTransition] {
        try reader.transitions(from: .distantPast, to: end).map(DigestTransition.init(record:))
    }

    public func openAlerts() throws -> [DigestOpenAlert] {
        try reader.openAlerts().map { a in
            DigestOpenAlert(
                rule: a.rule, accountID: a.accountID, accountName: a.accountName, severity: a.severity, since: a.since,
                owner: a.owner, lead: a.lead, message: a.message,
                evidence: a.evidence.map { EvidenceEntry(key: $0.key, value: $0.value) },
                revenueAtStake: a.revenueAtStake)
        }
    }

    public func previousDigest(lead: LeadAddress) throws -> PreviousDigest? {
        guard let record = try reader.lastDigest(lead: lead.value), let day = Day(iso: record.date) else { return nil }
        return PreviousDigest(date: day, uptoSeq: record.uptoSeq)
    }

    public func digestExists(date: Day, lead: LeadAddress) throws -> Bool {
        try reader.digestExists(date: date.description, lead: lead.value)
    }

    public func recordDigest(date: Day, lead: LeadAddress, uptoSeq: Int64) throws {
        if writer == nil { writer = try openWriter() }
        try writer?.recordDigest(date: date.description, lead: lead.value, uptoSeq: uptoSeq)
    }
}

extension DigestTransition {
    /// The digest's copy of a log row.
    public init(record r: TransitionRecord) {
        self.init(
            seq: r.seq, time: r.time, state: r.state == .firing ? .firing : .resolved, rule: r.rule,
            accountID: r.accountID, accountName: r.accountName, severity: r.severity,
            previousSeverity: r.previousSeverity, owner: r.owner, lead: r.lead, message: r.message,
            evidence: r.evidence.map { EvidenceEntry(key: $0.key, value: $0.value) }, revenueAtStake: r.revenueAtStake)
    }
}
