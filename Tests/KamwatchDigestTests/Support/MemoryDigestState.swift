import Foundation
import KamwatchData
import KamwatchDigest
import KamwatchVocabulary

/// A `DigestState` in memory, for tests of the digest run without a database.
final class MemoryDigestState: DigestState {
    var log: [DigestTransition]
    var records: [(date: Day, lead: LeadAddress, uptoSeq: Int64)] = []
    var open: [DigestOpenAlert] = []

    init(log: [DigestTransition]) { self.log = log }

    func transitions(before end: Date) throws -> [DigestTransition] {
        log.filter { $0.time < end }.sorted { $0.seq < $1.seq }
    }

    func openAlerts() throws -> [DigestOpenAlert] { open }

    func previousDigest(lead: LeadAddress) throws -> PreviousDigest? {
        records.filter { $0.lead == lead }.max { ($0.date, $0.uptoSeq) < ($1.date, $1.uptoSeq) }
            .map { PreviousDigest(date: $0.date, uptoSeq: $0.uptoSeq) }
    }

    func digestExists(date: Day, lead: LeadAddress) throws -> Bool {
        records.contains { $0.date == date && $0.lead == lead }
    }

    func recordDigest(date: Day, lead: LeadAddress, uptoSeq: Int64) throws {
        records.append((date, lead, uptoSeq))
    }
}
