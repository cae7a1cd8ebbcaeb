import Foundation
import KamwatchRules

/// An alert as the state records it: the rule's result with its evidence serialised.
public struct AlertSnapshot: Sendable, Hashable {
    public var rule: String
    public var accountID: String
    public var accountName: String
    public var severity: Severity
    public var message: String
    /// The evidence as a JSON object, keys in the rule's order.
    public var evidenceJSON: String
    public var owner: String?
    public var lead: String?
    public var revenueAtStake: Double?

    public init(
        rule: String, accountID: String, accountName: String, severity: Severity, message: String,
        evidenceJSON: String, owner: String?, lead: String?, revenueAtStake: Double?
    ) {
        self.rule = rule
        self.accountID = accountID
        self.accountName = accountName
        self.severity = severity
        self.message = message
        self.evidenceJSON = evidenceJSON
        self.owner = owner
        self.lead = lead
        self.revenueAtStake = revenueAtStake
    }

    /// The snapshot of an evaluated alert.
    public init(_ alert: Alert, revenueAtStake: Double? = nil) {
        self.init(
            rule: alert.rule, accountID: alert.accountID, accountName: alert.accountName, severity: alert.severity,
            message: alert.message, evidenceJSON: EvidenceJSON.encode(alert.evidence), owner: alert.owner,
            lead: alert.lead, revenueAtStake: revenueAtStake)
    }

    /// The snapshot of an open alert, as last recorded.
    public init(_ open: OpenAlert) {
        self.init(
            rule: open.rule, accountID: open.accountID, accountName: open.accountName, severity: open.severity,
            message: open.message, evidenceJSON: open.evidenceJSON, owner: open.owner, lead: open.lead,
            revenueAtStake: open.revenueAtStake)
    }

    public var key: AlertKey { AlertKey(rule: rule, accountID: accountID) }
}
