import Foundation
import GRDB
import KamwatchVocabulary

/// The days behind `for:` and `keep_firing_for:` for one alert (a row of `alert_timing`): since
/// when it holds without firing yet, or since when it no longer holds but keeps firing.
public struct AlertTiming: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "alert_timing"

    public var rule: String
    public var accountID: String
    /// Holds since this day, not firing yet (`for:`).
    public var pendingSince: String?
    /// Firing, but not holding since this day (`keep_firing_for:`).
    public var notHeldSince: String?

    public init(_ key: AlertKey, pendingSince: Day? = nil, notHeldSince: Day? = nil) {
        rule = key.rule
        accountID = key.accountID
        self.pendingSince = pendingSince?.description
        self.notHeldSince = notHeldSince?.description
    }

    public var key: AlertKey { AlertKey(rule: rule, accountID: accountID) }
    public var pendingDay: Day? { pendingSince.flatMap { Day(iso: $0) } }
    public var notHeldDay: Day? { notHeldSince.flatMap { Day(iso: $0) } }

    enum CodingKeys: String, CodingKey {
        case rule
        case accountID = "account_id"
        case pendingSince = "pending_since"
        case notHeldSince = "not_held_since"
    }
}
