import Foundation
import KamwatchRules

/// Whether a transition opened/changed an alert or closed it.
public enum DigestTransitionState: String, Sendable, Hashable {
    case firing
    case resolved
}

/// One named number (or text) of an alert's evidence, in the rule's order.
public struct EvidenceEntry: Sendable, Hashable {
    public var key: String
    public var value: EvidenceValue

    public init(key: String, value: EvidenceValue) {
        self.key = key
        self.value = value
    }
}

/// One entry of the state's transition log, as the digest needs it (no database types).
public struct DigestTransition: Sendable, Hashable {
    public var seq: Int64
    public var time: Date
    public var state: DigestTransitionState
    public var rule: String
    public var accountID: String
    public var accountName: String
    public var severity: Severity
    public var previousSeverity: Severity?
    public var owner: String?
    public var lead: String?
    public var message: String
    public var evidence: [EvidenceEntry]
    public var revenueAtStake: Double?

    public init(
        seq: Int64, time: Date, state: DigestTransitionState, rule: String, accountID: String,
        accountName: String, severity: Severity, previousSeverity: Severity? = nil, owner: String? = nil,
        lead: String? = nil, message: String = "", evidence: [EvidenceEntry] = [], revenueAtStake: Double? = nil
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
        self.evidence = evidence
        self.revenueAtStake = revenueAtStake
    }
}
