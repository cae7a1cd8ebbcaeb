import GRDB

/// A stretch of recorded days on which a contact was seen at one account: a row of
/// `contact_periods`. One row per period, not per day: a contact seen again after missing
/// (or seen at another account) starts a new period.
public struct ContactPeriod: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "contact_periods"

    public var contactID: String
    public var accountID: String
    /// The first recorded day of the period, `YYYY-MM-DD`.
    public var firstSeen: String
    /// The first recorded day on which the contact was missing (or at another account): the
    /// contact's `until` for this period. `nil` while it was seen on the last recorded day.
    /// The period's last seen day is the recorded day before it; storing that instead would
    /// rewrite every open period on every recording.
    public var missingFrom: String?
    /// The file's `since` on the period's first day, when it had one.
    public var since: String?

    public init(
        contactID: String, accountID: String, firstSeen: String, missingFrom: String? = nil, since: String? = nil
    ) {
        self.contactID = contactID
        self.accountID = accountID
        self.firstSeen = firstSeen
        self.missingFrom = missingFrom
        self.since = since
    }

    enum CodingKeys: String, CodingKey {
        case contactID = "contact_id"
        case accountID = "account_id"
        case firstSeen = "first_seen"
        case missingFrom = "missing_from"
        case since
    }
}
