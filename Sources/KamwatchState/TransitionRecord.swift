import Foundation
import GRDB
import KamwatchVocabulary

/// Whether a transition starts (or changes) an alert, or ends it.
public enum TransitionState: String, Sendable, Hashable, Codable {
    case firing
    case resolved
}

/// One row of the transition log (`transitions`): an alert firing, changing severity, or
/// resolving. Reads the alert's fields directly: `record.rule`, `record.evidence`.
public struct TransitionRecord: Sendable, Hashable, CarriesAlert, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "transitions"

    /// Increasing, never reused; 0 until the row is inserted.
    public var seq: Int64
    public var time: Date
    public var state: TransitionState
    /// The alert as it now is; for `resolved`, as it last was while firing (its severity is
    /// the one it had until then).
    public var alert: Alert
    /// `nil` when the alert is new; the old severity on a change; for `resolved`, its last severity.
    public var previousSeverity: Severity?
    /// The silence it was recorded under: journaled at PRIORITY 6, written to no outbox file.
    public var silenceID: Int64?
    /// Sent to the journal.
    public var emittedJournal: Bool
    /// Written to the outbox.
    public var emittedOutbox: Bool

    public init(
        seq: Int64 = 0, time: Date, state: TransitionState, alert: Alert, previousSeverity: Severity?,
        silenceID: Int64? = nil, emittedJournal: Bool = false, emittedOutbox: Bool = false
    ) {
        self.silenceID = silenceID
        self.seq = seq
        self.time = time
        self.state = state
        self.alert = alert
        self.previousSeverity = previousSeverity
        self.emittedJournal = emittedJournal
        self.emittedOutbox = emittedOutbox
    }

    enum CodingKeys: String, CodingKey {
        case seq
        case time
        case state
        case previousSeverity = "previous_severity"
        case silenceID = "silence_id"
        case emittedJournal = "emitted_journal"
        case emittedOutbox = "emitted_outbox"
    }

    public init(from decoder: any Decoder) throws {
        alert = try Alert(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(Int64.self, forKey: .seq)
        time = try c.decode(Date.self, forKey: .time)
        state = try c.decode(TransitionState.self, forKey: .state)
        previousSeverity = try c.decodeIfPresent(Severity.self, forKey: .previousSeverity)
        silenceID = try c.decodeIfPresent(Int64.self, forKey: .silenceID)
        emittedJournal = try c.decode(Bool.self, forKey: .emittedJournal)
        emittedOutbox = try c.decode(Bool.self, forKey: .emittedOutbox)
    }

    public func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Left out until inserted, so that SQLite assigns the next seq.
        if seq > 0 { try c.encode(seq, forKey: .seq) }
        try c.encode(time, forKey: .time)
        try c.encode(state, forKey: .state)
        try c.encode(previousSeverity, forKey: .previousSeverity)
        try c.encode(silenceID, forKey: .silenceID)
        try c.encode(emittedJournal, forKey: .emittedJournal)
        try c.encode(emittedOutbox, forKey: .emittedOutbox)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        seq = inserted.rowID
    }
}

extension TransitionRecord {
    /// The log row's insert, bound by `bindInsert`: what `insert(db)` writes, without
    /// `Codable` (a first start inserts tens of thousands of rows in one transaction). The
    /// alert's columns come first, in `StoredAlert`'s order.
    static let insertSQL = """
        INSERT INTO transitions (\(StoredAlert.columns), time, state, previous_severity, silence_id,
            emitted_journal, emitted_outbox)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Binds the values of `insertSQL`: the alert's (`values`, made from `alert`) and the
    /// row's own, `time` as the text GRDB stores this `Date` as.
    func bindInsert(_ s: inout BulkInsert, time: String?, _ values: StoredAlert) {
        values.bind(&s, from: 1)
        s.bind(12, time)
        s.bind(13, state.rawValue)
        s.bind(14, previousSeverity?.rawValue)
        s.bind(15, silenceID)
        s.bind(16, emittedJournal)
        s.bind(17, emittedOutbox)
    }
}
