import Foundation
import KamwatchDaemon
import KamwatchState
import KamwatchSystemd
import KamwatchTestSupport
import KamwatchVocabulary
import Testing

@Suite("Emission of silenced transitions")
struct SilencedEmissionTests {
    @Test("a silenced transition goes to the journal at PRIORITY 6 with KAMWATCH_SILENCED, and to no outbox file")
    func silenced() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try StateStore.inMemory()
        let silence = try store.addSilence(
            Silence(
                rule: nil, accountID: "A1", until: Day(iso: "2026-12-31")!, reason: "handled", createdBy: nil,
                createdAt: Records.t0))
        let plan = TransitionPlanner.plan(
            current: [Records.snapshot("single-contact", "A1"), Records.snapshot("single-contact", "A2")], open: [],
            day: Day(iso: "2026-11-30")!, silences: [silence])
        let records = try store.apply(plan, at: Records.t0)
        let (emitter, journal, outbox) = try EmitterTests().make(dir, store)
        try emitter.emit(records)
        #expect(try outbox.presentSeqs() == [2])
        #expect(try store.pendingEmissions().isEmpty)
        #expect(journal.entries.map { $0["PRIORITY"] } == ["6", "4"])
        #expect(journal.entries.map { $0["KAMWATCH_SILENCED"] } == [String(silence.id), nil])
        #expect(journal.entries[0]["MESSAGE"] == "single-contact warning (silenced #1): Acme A1 (A1): one contact left")
        // Recovery after a crash does not write the silenced one either.
        #expect(try emitter.recover() == (0, 0))
    }
}
