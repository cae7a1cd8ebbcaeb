/// How bad an alert is. Ordered: `warning < critical`.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case warning
    case critical

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .critical }
}

/// One value of an alert's evidence.
public enum EvidenceValue: Sendable, Hashable {
    case number(Double)
    case text(String)
    case bool(Bool)
    case null
}

/// A rule holding for an account as of a day: identified by (rule, accountID).
public struct Alert: Sendable, Hashable {
    public var rule: String
    public var accountID: String
    public var accountName: String
    public var severity: Severity
    /// The rule's message rendered in the requested locale, evidence filled in.
    public var message: String
    /// The numbers that made the rule hold, in the rule file's order.
    public var evidence: [(key: String, value: EvidenceValue)]
    public var owner: String?
    public var lead: String?

    public init(
        rule: String, accountID: String, accountName: String, severity: Severity, message: String,
        evidence: [(key: String, value: EvidenceValue)], owner: String?, lead: String?
    ) {
        self.rule = rule
        self.accountID = accountID
        self.accountName = accountName
        self.severity = severity
        self.message = message
        self.evidence = evidence
        self.owner = owner
        self.lead = lead
    }

    public static func == (a: Alert, b: Alert) -> Bool {
        a.rule == b.rule && a.accountID == b.accountID && a.accountName == b.accountName
            && a.severity == b.severity && a.message == b.message && a.owner == b.owner && a.lead == b.lead
            && a.evidence.count == b.evidence.count
            && zip(a.evidence, b.evidence).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into h: inout Hasher) {
        h.combine(rule)
        h.combine(accountID)
        h.combine(severity)
    }
}
