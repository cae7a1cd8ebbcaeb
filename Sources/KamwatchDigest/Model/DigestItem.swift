import KamwatchData
import KamwatchRules
import KamwatchVocabulary

/// The section of a digest an alert is listed in.
public enum DigestBucket: String, Sendable, Hashable, CaseIterable {
    /// Started holding, or changed severity, since the lead's previous digest.
    case new
    /// Already reported before and still holding.
    case open
    /// Stopped holding since the lead's previous digest.
    case resolved
}

/// One alert as a lead reads it in the digest: the alert (as it held), with the digest's own
/// facts about it. Reads the alert's fields directly: `item.accountName`, `item.evidence`.
public struct DigestItem: Sendable, Hashable, CarriesAlert {
    public var bucket: DigestBucket
    public var alert: Alert
    public var ruleTitle: String
    public var advice: String?
    /// Labels and formats of the evidence, by name (from the rule file).
    public var evidenceStyles: [String: EvidenceStyle]
    /// Severity the lead saw before, when a known alert changed severity.
    public var previousSeverity: Severity?
    /// Day the alert started holding (in the configured time zone).
    public var since: Day
    /// Whole days from `since` to the digest's day (resolved: to the day it resolved).
    public var ageDays: Int
    /// Day it stopped holding, for resolved items.
    public var resolvedOn: Day?

    public init(
        bucket: DigestBucket, alert: Alert, ruleTitle: String, advice: String?, previousSeverity: Severity? = nil,
        since: Day, ageDays: Int, resolvedOn: Day? = nil, evidenceStyles: [String: EvidenceStyle] = [:]
    ) {
        self.evidenceStyles = evidenceStyles
        self.bucket = bucket
        self.alert = alert
        self.ruleTitle = ruleTitle
        self.advice = advice
        self.previousSeverity = previousSeverity
        self.since = since
        self.ageDays = ageDays
        self.resolvedOn = resolvedOn
    }

    /// How much the item weighs in its account's block: open critical, open warning, resolved.
    public var rank: Int { bucket == .resolved ? 0 : alert.severity == .critical ? 2 : 1 }

    /// Order of the signals under one account: open critical first, new before still open,
    /// resolved last, then by title.
    public static func signalPrecedes(_ a: DigestItem, _ b: DigestItem) -> Bool {
        if a.rank != b.rank { return a.rank > b.rank }
        let order: [DigestBucket] = [.new, .open, .resolved]
        if a.bucket != b.bucket { return order.firstIndex(of: a.bucket)! < order.firstIndex(of: b.bucket)! }
        if a.ruleTitle != b.ruleTitle { return a.ruleTitle < b.ruleTitle }
        return a.rule < b.rule
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
