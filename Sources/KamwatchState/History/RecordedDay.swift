import Foundation
import GRDB

/// A day whose snapshot is in the history: a row of `history_days`.
public struct RecordedDay: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "history_days"

    /// The snapshot's day, `YYYY-MM-DD`.
    public var day: String
    /// When it was (last) recorded.
    public var recordedAt: Date

    public init(day: String, recordedAt: Date) {
        self.day = day
        self.recordedAt = recordedAt
    }

    enum CodingKeys: String, CodingKey {
        case day
        case recordedAt = "recorded_at"
    }
}
