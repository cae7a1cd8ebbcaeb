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
    /// The rule's journal `MESSAGE_ID` (32 hex digits), when it has one.
    public var messageID: String?

    public init(
        rule: String, accountID: String, accountName: String, severity: Severity, message: String,
        evidenceJSON: String, owner: String?, lead: String?, revenueAtStake: Double?, messageID: String? = nil
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
        self.messageID = messageID
    }

    /// The snapshot of an evaluated alert; the evidence is written as `kamwatch check --format json` writes it.
    public init(_ alert: Alert, revenueAtStake: Double? = nil, messageID: String? = nil) {
        self.init(
            rule: alert.rule, accountID: alert.accountID, accountName: alert.accountName, severity: alert.severity,
            message: alert.message, evidenceJSON: AlertJSON.evidence(alert.evidence), owner: alert.owner,
            lead: alert.lead, revenueAtStake: revenueAtStake, messageID: messageID)
    }

    /// The snapshot of an open alert, as last recorded.
    public init(_ open: OpenAlert) {
        self.init(
            rule: open.rule, accountID: open.accountID, accountName: open.accountName, severity: open.severity,
            message: open.message, evidenceJSON: open.evidenceJSON, owner: open.owner, lead: open.lead,
            revenueAtStake: open.revenueAtStake, messageID: open.messageID)
    }

    public var key: AlertKey { AlertKey(rule: rule, accountID: accountID) }
}
