import KamwatchData
import KamwatchRules

/// The section of a digest an alert is listed in.
public enum DigestBucket: String, Sendable, Hashable, CaseIterable {
    /// Started holding, or changed severity, since the lead's previous digest.
    case new
    /// Already reported before and still holding.
    case open
    /// Stopped holding since the lead's previous digest.
    case resolved
}

/// One alert as a lead reads it in the digest.
public struct DigestItem: Sendable, Hashable {
    public var bucket: DigestBucket
    public var rule: String
    public var ruleTitle: String
    public var advice: String?
    public var severity: Severity
    /// Severity the lead saw before, when a known alert changed severity.
    public var previousSeverity: Severity?
    public var accountID: String
    public var accountName: String
    public var owner: String?
    public var message: String
    public var evidence: [EvidenceEntry]
    public var revenueAtStake: Double?
    /// Day the alert started holding (in the configured time zone).
    public var since: Day
    /// Whole days from `since` to the digest's day (resolved: to the day it resolved).
    public var ageDays: Int
    /// Day it stopped holding, for resolved items.
    public var resolvedOn: Day?

    public init(
        bucket: DigestBucket, rule: String, ruleTitle: String, advice: String?, severity: Severity,
        previousSeverity: Severity? = nil, accountID: String, accountName: String, owner: String?,
        message: String, evidence: [EvidenceEntry], revenueAtStake: Double?, since: Day, ageDays: Int,
        resolvedOn: Day? = nil
    ) {
        self.bucket = bucket
        self.rule = rule
        self.ruleTitle = ruleTitle
        self.advice = advice
        self.severity = severity
        self.previousSeverity = previousSeverity
        self.accountID = accountID
        self.accountName = accountName
        self.owner = owner
        self.message = message
        self.evidence = evidence
        self.revenueAtStake = revenueAtStake
        self.since = since
        self.ageDays = ageDays
        self.resolvedOn = resolvedOn
    }

    /// Digest order: critical first, then the most revenue at stake, then by name.
    public static func precedes(_ a: DigestItem, _ b: DigestItem) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        let ra = a.revenueAtStake ?? -.infinity
        let rb = b.revenueAtStake ?? -.infinity
        if ra != rb { return ra > rb }
        if a.accountName != b.accountName { return a.accountName < b.accountName }
        if a.accountID != b.accountID { return a.accountID < b.accountID }
        return a.rule < b.rule
    }
}
