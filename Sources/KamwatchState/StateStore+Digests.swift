import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// The most recently written digest (highest `uptoSeq`, then latest date), if any.
    public func lastDigest() throws -> DigestRecord? {
        try db.read { db in
            try DigestRecord.fetchOne(
                db, sql: "SELECT * FROM digests ORDER BY upto_seq DESC, date DESC, written_at DESC LIMIT 1")
        }
    }

    /// The most recent digest written for `lead`, if any.
    public func lastDigest(lead: String) throws -> DigestRecord? {
        try db.read { db in
            try DigestRecord.fetchOne(
                db, sql: "SELECT * FROM digests WHERE lead = ? ORDER BY date DESC, upto_seq DESC LIMIT 1",
                arguments: [lead])
        }
    }

    /// Digests written for `date` (`YYYY-MM-DD`), ordered by lead.
    public func digests(date: String) throws -> [DigestRecord] {
        try db.read { db in
            try DigestRecord.fetchAll(db, sql: "SELECT * FROM digests WHERE date = ? ORDER BY lead", arguments: [date])
        }
    }

    /// Whether a digest for (`date`, `lead`) was already written.
    public func digestExists(date: String, lead: String) throws -> Bool {
        try db.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM digests WHERE date = ? AND lead = ?)", arguments: [date, lead])
                ?? false
        }
    }

    /// Records that the digest for (`date`, `lead`) was written, covering transitions up to `uptoSeq`;
    /// with `deliverFrom`, its file at that path is queued for the mail transport in the same
    /// transaction, so a recorded digest is never left unsent.
    ///
    /// Returns `false` (and changes nothing) when that digest was already recorded.
    @discardableResult
    public func recordDigest(
        date: String, lead: String, uptoSeq: Int64, writtenAt: Date = Date(), deliverFrom path: String? = nil
    ) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO digests (date, lead, upto_seq, written_at) VALUES (?, ?, ?, ?)",
                arguments: [date, lead, uptoSeq, writtenAt])
            guard db.changesCount > 0 else { return false }
            if let path {
                try DigestDelivery(date: date, lead: lead, path: path, queuedAt: writtenAt).insert(db)
            }
            return true
        }
    }
}
