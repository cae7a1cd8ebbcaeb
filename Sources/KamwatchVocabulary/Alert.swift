/// A rule holding for an account as of a day: identified by (rule, account id).
///
/// The one model of an alert: evaluation produces it, the state stores it (its coding keys
/// are the state database's column names), the journal, the outbox and the digest read it.
public struct Alert: Sendable, Hashable, Codable {
    public var rule: String
    public var accountID: String
    public var accountName: String
    public var severity: Severity
    /// The rule's message rendered in the requested language, evidence filled in.
    public var message: String
    /// The message in every language, so that a digest speaks its reader's language whatever
    /// locale the daemon ran with (`nil` in alerts recorded before it was kept).
    public var messages: LocalizedText?
    /// The values that made the rule hold, in the rule file's order.
    public var evidence: Evidence
    public var owner: String?
    public var lead: String?
    /// The account's net revenue over the last 365 days, which the alert puts at risk (when known).
    public var revenueAtStake: Double?
    /// The rule's journal `MESSAGE_ID` (32 hex digits), when it has one.
    public var messageID: String?

    public init(
        rule: String, accountID: String, accountName: String, severity: Severity, message: String,
        evidence: Evidence, owner: String?, lead: String?, revenueAtStake: Double? = nil, messageID: String? = nil,
        messages: LocalizedText? = nil
    ) {
        self.rule = rule
        self.accountID = accountID
        self.accountName = accountName
        self.severity = severity
        self.message = message
        self.evidence = evidence
        self.owner = owner
        self.lead = lead
        self.revenueAtStake = revenueAtStake
        self.messageID = messageID
        self.messages = messages
    }

    /// The message in `language`: from `messages` when kept, else the one recorded.
    public func message(in language: Language) -> String { messages?[language] ?? message }

    /// The alert's identity.
    public var key: AlertKey { AlertKey(rule: rule, accountID: accountID) }

    enum CodingKeys: String, CodingKey {
        case rule
        case accountID = "account_id"
        case accountName = "account_name"
        case severity
        case message
        case messages
        case evidence
        case owner
        case lead
        case revenueAtStake = "revenue_at_stake"
        case messageID = "message_id"
    }
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

/// A record built around an alert (an open alert, a log row, a digest line): reads and writes
/// the alert's fields as its own, `record.rule`, `record.severity`, so that a field added to
/// `Alert` reaches all of them.
@dynamicMemberLookup
public protocol CarriesAlert {
    var alert: Alert { get set }
}

extension CarriesAlert {
    public subscript<T>(dynamicMember path: KeyPath<Alert, T>) -> T { alert[keyPath: path] }

    public subscript<T>(dynamicMember path: WritableKeyPath<Alert, T>) -> T {
        get { alert[keyPath: path] }
        set { alert[keyPath: path] = newValue }
    }
}
