import GRDB

/// The parent an account had from one recorded day on: a row of `parent_periods`. Only
/// changes make rows: one per account and parent, not one per day.
public struct ParentPeriod: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "parent_periods"

    public var accountID: String
    /// The parent's account id; `nil` when the account had none.
    public var parentID: String?
    /// The parent's name on that day (its id when it was no account).
    public var parentName: String?
    /// The first recorded day with this parent, `YYYY-MM-DD`.
    public var fromDay: String
    /// The first recorded day with another parent; `nil` while this one is current.
    public var toDay: String?

    public init(accountID: String, parentID: String?, parentName: String?, fromDay: String, toDay: String? = nil) {
        self.accountID = accountID
        self.parentID = parentID
        self.parentName = parentName
        self.fromDay = fromDay
        self.toDay = toDay
    }

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case parentID = "parent_id"
        case parentName = "parent_name"
        case fromDay = "from_day"
        case toDay = "to_day"
    }
}
