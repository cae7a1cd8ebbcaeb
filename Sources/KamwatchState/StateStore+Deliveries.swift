import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// Digests waiting for the mail transport, oldest first.
    public func pendingDeliveries() throws -> [DigestDelivery] {
        try db.read { db in
            try DigestDelivery.fetchAll(
                db, sql: "SELECT * FROM digest_deliveries WHERE delivered_at IS NULL ORDER BY date, queued_at, lead")
        }
    }

    /// The delivery row of (`date`, `lead`), if that digest was queued.
    public func delivery(date: String, lead: String) throws -> DigestDelivery? {
        try db.read { db in
            try DigestDelivery.fetchOne(
                db, sql: "SELECT * FROM digest_deliveries WHERE date = ? AND lead = ?", arguments: [date, lead])
        }
    }

    /// Records that the transport accepted the digest of (`date`, `lead`).
    public func recordDelivered(date: String, lead: String, at time: Date = Date()) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE digest_deliveries SET delivered_at = ?, attempts = attempts + 1, last_error = NULL
                    WHERE date = ? AND lead = ? AND delivered_at IS NULL
                    """,
                arguments: [time, date, lead])
        }
    }

    /// Records a failed hand-off; the digest stays queued for the next run.
    public func recordDeliveryFailure(date: String, lead: String, reason: String) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE digest_deliveries SET attempts = attempts + 1, last_error = ?
                    WHERE date = ? AND lead = ? AND delivered_at IS NULL
                    """,
                arguments: [reason, date, lead])
        }
    }
}
