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

extension OpenAlert {
    /// The columns `init(columns:)` reads, in its order.
    static let selection = """
        rule, account_id, account_name, severity, message, messages, evidence, owner, lead, revenue_at_stake, \
        message_id, since, silenced_by
        """

    /// Writes an open alert from `StoredAlert`'s values (parameters 1–11), `since` (12) and
    /// `silenced_by` (13). An alert already open keeps its `since`: a severity change or an
    /// announcement does not restart it.
    static let upsertSQL = """
        INSERT INTO open_alerts (\(StoredAlert.columns), since, silenced_by)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        ON CONFLICT (rule, account_id) DO UPDATE SET
            account_name = ?3, severity = ?4, message = ?5, messages = ?6, evidence = ?7, owner = ?8, lead = ?9,
            revenue_at_stake = ?10, message_id = ?11, silenced_by = ?13
        """

    /// Replaces an open alert's details from `StoredAlert`'s values (parameters 1–11), keeping
    /// when it started and its silence; nothing when it is not open.
    static let refreshSQL = """
        UPDATE open_alerts SET
            account_name = ?3, severity = ?4, message = ?5, messages = ?6, evidence = ?7, owner = ?8, lead = ?9,
            revenue_at_stake = ?10, message_id = ?11
        WHERE rule = ?1 AND account_id = ?2
        """

    /// Decodes a row of `selection` by column position, as `init(row:)` (`Codable`) decodes a
    /// row of `SELECT *`: the same values, and an error for a value the types do not know. The
    /// evidence and messages are read by `StoredJSON`'s readers, `JSONDecoder` only for text
    /// they do not take.
    init(columns row: Row) throws {
        let severityText = try row.decode(String.self, atIndex: 3)
        guard let severity = Severity(rawValue: severityText) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: [Column("severity")],
                    debugDescription: "Cannot initialize Severity from invalid String value \(severityText)"))
        }
        let alert = Alert(
            rule: try row.decode(String.self, atIndex: 0), accountID: try row.decode(String.self, atIndex: 1),
            accountName: try row.decode(String.self, atIndex: 2), severity: severity,
            message: try row.decode(String.self, atIndex: 4),
            evidence: try Self.json(row, 6, "evidence", read: StoredJSON.readEvidence),
            owner: try row.decode(String?.self, atIndex: 7), lead: try row.decode(String?.self, atIndex: 8),
            revenueAtStake: try row.decode(Double?.self, atIndex: 9),
            messageID: try row.decode(String?.self, atIndex: 10),
            messages: try Self.optionalJSON(row, 5, "messages", read: StoredJSON.readLocalized))
        self.init(
            alert, since: try row.decode(Date.self, atIndex: 11), silencedBy: try row.decode(Int64?.self, atIndex: 12))
    }

    private static func json<T: Decodable>(
        _ row: Row, _ index: Int, _ column: String, read: (UnsafeRawBufferPointer) -> T?
    ) throws -> T {
        guard let value = try optionalJSON(row, index, column, read: read) else {
            throw DecodingError.valueNotFound(
                T.self, DecodingError.Context(codingPath: [Column(column)], debugDescription: "Missing Data"))
        }
        return value
    }

    private static func optionalJSON<T: Decodable>(
        _ row: Row, _ index: Int, _ column: String, read: (UnsafeRawBufferPointer) -> T?
    ) throws -> T? {
        try row.withUnsafeData(atIndex: index) { data in
            guard let data else { return nil }
            if let value = data.withUnsafeBytes(read) { return value }
            return try databaseJSONDecoder(for: column).decode(T.self, from: data)
        }
    }

    /// A column's name as a decoding error's path.
    private struct Column: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
