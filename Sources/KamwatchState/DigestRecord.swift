import Foundation
import GRDB
import KamwatchVocabulary

/// A digest that was written (a row of `digests`): for one day and one lead, covering
/// transitions up to `uptoSeq`.
public struct DigestRecord: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "digests"

    /// The digest's day, `YYYY-MM-DD`.
    public var date: String
    /// The lead's address (or the fallback address).
    public var lead: String
    /// The highest transition seq the digest covered.
    public var uptoSeq: Int64
    public var writtenAt: Date

    public init(date: String, lead: String, uptoSeq: Int64, writtenAt: Date) {
        self.date = date
        self.lead = lead
        self.uptoSeq = uptoSeq
        self.writtenAt = writtenAt
    }

    enum CodingKeys: String, CodingKey {
        case date
        case lead
        case uptoSeq = "upto_seq"
        case writtenAt = "written_at"
    }
}
