import Foundation
import KamwatchRules

/// Whether a transition starts (or changes) an alert, or ends it.
public enum TransitionState: String, Sendable, Hashable, Codable {
    case firing
    case resolved
}

/// One row of the transition log: an alert firing, changing severity, or resolving.
public struct TransitionRecord: Sendable, Hashable {
    /// Increasing, never reused.
    public var seq: Int64
    public var time: Date
    public var state: TransitionState
    public var rule: String
    public var accountID: String
    public var accountName: String
    /// The new severity; for `resolved`, the severity it had until then.
    public var severity: Severity
    /// `nil` when the alert is new; the old severity on a change; for `resolved`, its last severity.
    public var previousSeverity: Severity?
    public var owner: String?
    public var lead: String?
    /// The rule's message (for `resolved`, the last message it had while firing).
    public var message: String
    /// The evidence as a JSON object, keys in the rule's order.
    public var evidenceJSON: String
    public var revenueAtStake: Double?
    /// The rule's journal `MESSAGE_ID` (32 hex digits), when it has one.
    public var messageID: String?
    /// Sent to the journal.
    public var emittedJournal: Bool
    /// Written to the outbox.
    public var emittedOutbox: Bool

    public init(
        seq: Int64, time: Date, state: TransitionState, rule: String, accountID: String, accountName: String,
        severity: Severity, previousSeverity: Severity?, owner: String?, lead: String?, message: String,
        evidenceJSON: String, revenueAtStake: Double?, messageID: String? = nil, emittedJournal: Bool = false,
        emittedOutbox: Bool = false
    ) {
        self.seq = seq
        self.time = time
        self.state = state
        self.rule = rule
        self.accountID = accountID
        self.accountName = accountName
        self.severity = severity
        self.previousSeverity = previousSeverity
        self.owner = owner
        self.lead = lead
        self.message = message
        self.evidenceJSON = evidenceJSON
        self.revenueAtStake = revenueAtStake
        self.messageID = messageID
        self.emittedJournal = emittedJournal
        self.emittedOutbox = emittedOutbox
    }

    public var key: AlertKey { AlertKey(rule: rule, accountID: accountID) }

    /// The evidence decoded, in its stored order.
    public var evidence: [(key: String, value: EvidenceValue)] { EvidenceJSON.decode(evidenceJSON) }
}
