import Foundation
import GRDB
import KamwatchVocabulary

/// A problem with kamwatch's own inputs that currently holds (a row of `health_problems`):
/// a stale table, a file that lost a required column, too many bad rows.
public struct HealthProblem: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "health_problems"

    /// The check's name: `stale-table`, `lost-column`, `bad-rows`.
    public var check: String
    /// What it is about: a table or a file.
    public var subject: String
    /// What is wrong, for people.
    public var detail: String
    /// When it was raised.
    public var since: Date

    public init(check: String, subject: String, detail: String, since: Date) {
        self.check = check
        self.subject = subject
        self.detail = detail
        self.since = since
    }

    /// Its identity: a check and a subject.
    public var key: String { check + " " + subject }

    enum CodingKeys: String, CodingKey {
        case check = "check_name"
        case subject
        case detail
        case since
    }
}

extension StateStore {
    /// The input problems that hold, by check and subject.
    public func healthProblems() throws -> [HealthProblem] {
        try db.read {
            try HealthProblem.fetchAll($0, sql: "SELECT * FROM health_problems ORDER BY check_name, subject")
        }
    }

    /// Records problems newly raised (or whose detail changed) and those resolved.
    public func applyHealth(raised: [HealthProblem], resolved: [HealthProblem]) throws {
        if raised.isEmpty, resolved.isEmpty { return }
        try write { db in
            for p in raised { try p.insert(db, onConflict: .replace) }
            for p in resolved {
                _ = try HealthProblem.deleteOne(db, key: ["check_name": p.check, "subject": p.subject])
            }
        }
    }
}
