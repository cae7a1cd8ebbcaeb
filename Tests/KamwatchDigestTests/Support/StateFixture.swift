import Foundation
import GRDB
import KamwatchDigest
import KamwatchVocabulary

@testable import KamwatchState

/// A state database in memory holding a given log, open alerts and digests: the digest reads
/// the same records as it does from the daemon's file.
enum StateFixture {
    static func store(
        log: [TransitionRecord], open: [OpenAlert] = [], digests: [(date: Day, lead: LeadAddress, uptoSeq: Int64)] = []
    ) throws -> StateStore {
        let store = try StateStore.inMemory()
        try store.db.write { db in
            for record in log {
                var record = record
                try record.insert(db)
            }
            for alert in open { try alert.insert(db) }
        }
        for d in digests { try store.recordDigest(date: d.date.description, lead: d.lead.value, uptoSeq: d.uptoSeq) }
        return store
    }
}
