import Foundation
import GRDB
import KamwatchVocabulary

/// A digest to hand to the mail transport (a row of `digest_deliveries`): queued when its file
/// was written with `deliver: sendmail`, delivered once the command accepted it.
public struct DigestDelivery: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "digest_deliveries"

    /// The digest's day, `YYYY-MM-DD`.
    public var date: String
    /// The lead's address (or the fallback address).
    public var lead: String
    /// The digest's file.
    public var path: String
    public var queuedAt: Date
    /// When the command exited 0; `nil` while the digest waits.
    public var deliveredAt: Date?
    /// Failed and successful hand-offs so far.
    public var attempts: Int
    /// Why the last attempt failed.
    public var lastError: String?

    public init(
        date: String, lead: String, path: String, queuedAt: Date, deliveredAt: Date? = nil, attempts: Int = 0,
        lastError: String? = nil
    ) {
        self.date = date
        self.lead = lead
        self.path = path
        self.queuedAt = queuedAt
        self.deliveredAt = deliveredAt
        self.attempts = attempts
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case date
        case lead
        case path
        case queuedAt = "queued_at"
        case deliveredAt = "delivered_at"
        case attempts
        case lastError = "last_error"
    }
}
