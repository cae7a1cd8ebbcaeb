import Foundation
import GRDB
import KamwatchRules
import KamwatchVocabulary

extension StateStore {
    /// Log rows with `seq > afterSeq`, in seq order (at most `limit` when given).
    public func transitions(afterSeq: Int64, limit: Int? = nil) throws -> [TransitionRecord] {
        try db.read { db in
            try TransitionRecord.fetchAll(
                db, sql: "SELECT * FROM transitions WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [afterSeq, limit ?? -1])
        }
    }

    /// Log rows with `from <= time < to`, in seq order.
    public func transitions(from: Date, to: Date) throws -> [TransitionRecord] {
        try db.read { db in
            try TransitionRecord.fetchAll(
                db, sql: "SELECT * FROM transitions WHERE time >= ? AND time < ? ORDER BY seq", arguments: [from, to])
        }
    }

    /// How many transitions the log holds, by state (`firing`, `resolved`).
    public func transitionCounts() throws -> [String: Int] {
        try db.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM transitions GROUP BY state") {
                out[row["state"]] = row["n"]
            }
            return out
        }
    }

    /// The highest seq recorded so far (0 when the log is empty).
    public func lastSeq() throws -> Int64 {
        try db.read { try Int64.fetchOne($0, sql: "SELECT MAX(seq) FROM transitions") } ?? 0
    }

    /// The seq the next recorded transition gets (`AUTOINCREMENT`: past every seq ever given).
    public func nextSeq() throws -> Int64 {
        try db.read { db in
            let given = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'transitions'") ?? 0
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM transitions") ?? 0
            return max(given, highest) + 1
        }
    }

    /// Recorded transitions not yet emitted to the journal or not yet to the outbox, in seq order.
    public func pendingEmissions() throws -> [TransitionRecord] {
        try db.read { db in
            try TransitionRecord.fetchAll(
                db, sql: "SELECT * FROM transitions WHERE emitted_journal = 0 OR emitted_outbox = 0 ORDER BY seq")
        }
    }

    /// Where a transition has been emitted.
    public enum Channel: Sendable {
        case journal
        case outbox
    }

    /// Marks transitions as emitted to the outbox and to the journal, in one transaction.
    public func markEmitted(outbox: [Int64], journal: [Int64]) throws {
        if outbox.isEmpty, journal.isEmpty { return }
        try db.write { db in
            for (seqs, column) in [(outbox, "emitted_outbox"), (journal, "emitted_journal")] where !seqs.isEmpty {
                let statement = try db.makeStatement(sql: "UPDATE transitions SET \(column) = 1 WHERE seq = ?")
                for seq in seqs { try statement.execute(arguments: [seq]) }
            }
        }
    }

    /// Marks the transitions `seqs` as emitted to `channel`.
    public func markEmitted(_ seqs: [Int64], to channel: Channel) throws {
        if seqs.isEmpty { return }
        let column = channel == .journal ? "emitted_journal" : "emitted_outbox"
        try db.write { db in
            let statement = try db.makeStatement(sql: "UPDATE transitions SET \(column) = 1 WHERE seq = ?")
            for seq in seqs { try statement.execute(arguments: [seq]) }
        }
    }
}
