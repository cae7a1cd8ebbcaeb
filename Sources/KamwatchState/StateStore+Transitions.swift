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
        let outboxRuns = Self.seqRuns(outbox)
        let journalRuns = Self.seqRuns(journal)
        try write { db in
            // Usually both channels took the same transitions: each row is changed once. (A
            // statement over many rows keeps a copy of every page it changes, in case it fails
            // halfway: a second pass over the same rows would copy them all again.)
            if outboxRuns == journalRuns {
                try Self.mark(outboxRuns, "emitted_outbox = 1, emitted_journal = 1", db)
            } else {
                try Self.mark(outboxRuns, "emitted_outbox = 1", db)
                try Self.mark(journalRuns, "emitted_journal = 1", db)
            }
        }
    }

    /// Marks the transitions `seqs` as emitted to `channel`.
    public func markEmitted(_ seqs: [Int64], to channel: Channel) throws {
        if seqs.isEmpty { return }
        let column = channel == .journal ? "emitted_journal" : "emitted_outbox"
        try write { db in try Self.mark(Self.seqRuns(seqs), "\(column) = 1", db) }
    }

    /// Applies `assignments` to the transitions in `runs`: one UPDATE per run of consecutive seqs
    /// (a batch's seqs are consecutive, so a first start's tens of thousands take one statement).
    private static func mark(_ runs: [ClosedRange<Int64>], _ assignments: String, _ db: Database) throws {
        if runs.isEmpty { return }
        let statement = try db.makeStatement(sql: "UPDATE transitions SET \(assignments) WHERE seq BETWEEN ? AND ?")
        for run in runs { try statement.execute(arguments: [run.lowerBound, run.upperBound]) }
    }

    /// `seqs` as runs of consecutive values, ascending (duplicates and order do not matter).
    static func seqRuns(_ seqs: [Int64]) -> [ClosedRange<Int64>] {
        let sorted = seqs.sorted()
        var runs: [ClosedRange<Int64>] = []
        var i = 0
        while i < sorted.count {
            let low = sorted[i]
            var high = low
            i += 1
            while i < sorted.count, sorted[i] <= high + 1 {
                high = sorted[i]
                i += 1
            }
            runs.append(low...high)
        }
        return runs
    }
}
