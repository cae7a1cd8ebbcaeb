import Foundation
import GRDB
import KamwatchVocabulary

/// A silence (a row of `silences`): alerts of a rule, of an account, or of both, whose
/// transitions are recorded and journaled quietly, written to no outbox file, until its day
/// has passed or it is expired by hand.
public struct Silence: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "silences"

    /// Increasing, never reused; 0 until the row is inserted.
    public var id: Int64
    /// The rule it silences; `nil` for every rule.
    public var rule: String?
    /// The account it silences; `nil` for every account.
    public var accountID: String?
    /// The last day it holds (in the daemon's time zone), `YYYY-MM-DD`.
    public var until: String
    public var reason: String
    public var createdBy: String?
    public var createdAt: Date
    /// When it was expired by hand.
    public var expiredAt: Date?

    public init(
        id: Int64 = 0, rule: String?, accountID: String?, until: Day, reason: String, createdBy: String?,
        createdAt: Date, expiredAt: Date? = nil
    ) {
        self.id = id
        self.rule = rule
        self.accountID = accountID
        self.until = until.description
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiredAt = expiredAt
    }

    enum CodingKeys: String, CodingKey {
        case id
        case rule
        case accountID = "account_id"
        case until
        case reason
        case createdBy = "created_by"
        case createdAt = "created_at"
        case expiredAt = "expired_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Left out until inserted, so that SQLite assigns the next id.
        if id > 0 { try c.encode(id, forKey: .id) }
        try c.encode(rule, forKey: .rule)
        try c.encode(accountID, forKey: .accountID)
        try c.encode(until, forKey: .until)
        try c.encode(reason, forKey: .reason)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(expiredAt, forKey: .expiredAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The last day it holds.
    public var untilDay: Day? { Day(iso: until) }

    /// Whether it silences anything on `day`: not expired by hand, and `day` is not after its last day.
    public func isActive(on day: Day) -> Bool {
        guard expiredAt == nil, let last = untilDay else { return false }
        return day <= last
    }

    /// Whether it covers the alert `key`.
    public func matches(_ key: AlertKey) -> Bool {
        (rule == nil || rule == key.rule) && (accountID == nil || accountID == key.accountID)
    }
}

extension [Silence] {
    /// The first (lowest id) of these silences that covers `key`.
    public func covering(_ key: AlertKey) -> Silence? {
        self.filter { $0.matches(key) }.min { $0.id < $1.id }
    }
}
