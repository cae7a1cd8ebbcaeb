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
    /// The silence its current state was recorded under, while that state has not been
    /// announced (no outbox file): when the silence ends, the alert is announced as firing.
    public var silencedBy: Int64?

    public init(_ alert: Alert, since: Date, silencedBy: Int64? = nil) {
        self.alert = alert
        self.since = since
        self.silencedBy = silencedBy
    }

    enum CodingKeys: String, CodingKey {
        case since
        case silencedBy = "silenced_by"
    }

    public init(from decoder: any Decoder) throws {
        alert = try Alert(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        since = try c.decode(Date.self, forKey: .since)
        silencedBy = try c.decodeIfPresent(Int64.self, forKey: .silencedBy)
    }

    public func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(since, forKey: .since)
        try c.encode(silencedBy, forKey: .silencedBy)
    }
}
