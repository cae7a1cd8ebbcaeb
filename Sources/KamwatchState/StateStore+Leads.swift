import Foundation
import GRDB
import KamwatchVocabulary

extension StateStore {
    /// Replaces the leads the accounts table names (the daemon records them after an evaluation),
    /// so that an "all clear" digest reaches a lead whose accounts never alerted.
    public func recordLeads(_ leads: Set<String>) throws {
        try write { db in try Self.recordLeads(leads, db) }
    }

    static func recordLeads(_ leads: Set<String>, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM known_leads")
        for lead in leads.sorted() {
            try db.execute(sql: "INSERT INTO known_leads (lead) VALUES (?)", arguments: [lead])
        }
    }

    /// The leads the accounts table named at the daemon's last evaluation, sorted.
    public func knownLeads() throws -> [String] {
        try db.read { db in try String.fetchAll(db, sql: "SELECT lead FROM known_leads ORDER BY lead") }
    }
}
