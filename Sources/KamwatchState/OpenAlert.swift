import Foundation
import GRDB
import KamwatchVocabulary

/// An alert that currently holds: a row of `open_alerts` (its columns are the alert's coding
/// keys plus `since`). Reads the alert's fields directly: `open.rule`, `open.severity`.
public struct OpenAlert: Sendable, Hashable, CarriesAlert, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "open_alerts"

    public var alert: Alert
    /// When it started firing (kept across severity changes).
    public var since: Date

    public init(_ alert: Alert, since: Date) {
        self.alert = alert
        self.since = since
    }

    enum CodingKeys: String, CodingKey {
        case since
    }

    public init(from decoder: any Decoder) throws {
        alert = try Alert(from: decoder)
        since = try decoder.container(keyedBy: CodingKeys.self).decode(Date.self, forKey: .since)
    }

    public func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(since, forKey: .since)
    }
}
