import Foundation
import KamwatchDigest
import KamwatchState
import KamwatchVocabulary
import Testing

private typealias E = ExampleDigest

/// Transitions recorded under a silence are in no section of the digest, only counted.
@Suite("Digest: silenced transitions")
struct DigestSilenceTests {
    func silenced(_ record: TransitionRecord, _ id: Int64) -> TransitionRecord {
        var r = record
        r.silenceID = id
        return r
    }

    @Test("a silenced firing is counted, not listed; its announcement is listed as new")
    func countedNotListed() throws {
        let fired = silenced(
            E.record(
                seq: 1, time: E.at("2026-11-19 09:00"), state: .firing, rule: "single-contact", accountID: "X",
                accountName: "X", severity: .warning, lead: "anna.lead@example.com"), 3)
        let other = E.record(
            seq: 2, time: E.at("2026-11-19 10:00"), state: .firing, rule: "discount-creep", accountID: "Y",
            accountName: "Y", severity: .warning, lead: "anna.lead@example.com")
        let quiet = try #require(
            E.planner().plan(date: E.date, transitions: [fired, other], previous: [:]).digests.first)
        #expect(quiet.items.map(\.alert.accountID) == ["Y"])
        #expect(quiet.silenced == 1)
        let announced = E.record(
            seq: 3, time: E.at("2026-11-20 09:00"), state: .firing, rule: "single-contact", accountID: "X",
            accountName: "X", severity: .warning, lead: "anna.lead@example.com")
        let loud = try #require(
            E.planner().plan(date: E.date, transitions: [fired, other, announced], previous: [:]).digests.first)
        #expect(loud.items.map(\.alert.accountID).sorted() == ["X", "Y"])
        #expect(loud.items.first { $0.alert.accountID == "X" }?.bucket == .new)
    }

    @Test("the count reaches the text of the e-mail")
    func rendered() throws {
        var input = E.annaInput(language: .en)
        input.silenced = 2
        let text = try DigestRenderer(language: .en).render(input).text
        #expect(text.contains("Silenced changes, not listed: 2 (see kamwatch silence list)."))
    }
}
