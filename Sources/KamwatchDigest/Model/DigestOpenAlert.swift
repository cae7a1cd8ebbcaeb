import Foundation
import KamwatchRules

/// An alert that holds now, as the state's open-alert table has it (kept fresher than the
/// log: evidence, message, owner and lead are refreshed there without a transition).
public struct DigestOpenAlert: Sendable, Hashable {
    public var rule: String
    public var accountID: String
    public var accountName: String
    public var severity: Severity
    /// When it started holding.
    public var since: Date
    public var owner: String?
    public var lead: String?
    public var message: String
    public var evidence: [EvidenceEntry]
    public var revenueAtStake: Double?

    public init(
        rule: String, accountID: String, accountName: String, severity: Severity, since: Date, owner: String?,
        lead: String?, message: String, evidence: [EvidenceEntry], revenueAtStake: Double?
    ) {
        self.rule = rule
        self.accountID = accountID
        self.accountName = accountName
        self.severity = severity
        self.since = since
        self.owner = owner
        self.lead = lead
        self.message = message
        self.evidence = evidence
        self.revenueAtStake = revenueAtStake
    }
}
