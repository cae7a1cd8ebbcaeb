import Foundation
import KamwatchRules

/// An alert that currently holds, as the state database remembers it.
public struct OpenAlert: Sendable, Hashable {
    public var rule: String
    public var accountID: String
    public var accountName: String
    public var severity: Severity
    /// When it started firing (kept across severity changes).
    public var since: Date
    /// The evidence as a JSON object, keys in the rule's order.
    public var evidenceJSON: String
    public var owner: String?
    public var lead: String?
    public var message: String
    /// Revenue of the account put at risk by this alert, when known.
    public var revenueAtStake: Double?
    /// The rule's journal `MESSAGE_ID` (32 hex digits), when it has one.
    public var messageID: String?

    public init(
        rule: String, accountID: String, accountName: String, severity: Severity, since: Date,
        evidenceJSON: String, owner: String?, lead: String?, message: String, revenueAtStake: Double?,
        messageID: String? = nil
    ) {
        self.rule = rule
        self.accountID = accountID
        self.accountName = accountName
        self.severity = severity
        self.since = since
        self.evidenceJSON = evidenceJSON
        self.owner = owner
        self.lead = lead
        self.message = message
        self.revenueAtStake = revenueAtStake
        self.messageID = messageID
    }

    /// The alert's identity.
    public var key: AlertKey { AlertKey(rule: rule, accountID: accountID) }

    /// The evidence decoded, in its stored order.
    public var evidence: [(key: String, value: EvidenceValue)] { EvidenceJSON.decode(evidenceJSON) }
}

/// Identity of an alert: a rule and an account.
public struct AlertKey: Sendable, Hashable, Comparable {
    public var rule: String
    public var accountID: String

    public init(rule: String, accountID: String) {
        self.rule = rule
        self.accountID = accountID
    }

    public static func < (a: AlertKey, b: AlertKey) -> Bool {
        (a.rule, a.accountID) < (b.rule, b.accountID)
    }
}
