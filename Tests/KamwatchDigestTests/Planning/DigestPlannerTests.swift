import Foundation
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

@Suite("Digest planning")
struct DigestPlannerTests {
    typealias E = ExampleDigest

    private func plan(
        _ previous: [LeadAddress: DigestRecord], date: Day = E.date, allClear: Bool = false
    )
        -> DigestPlan
    {
        E.planner(allClear: allClear).plan(date: date, transitions: E.transitions, previous: previous)
    }

    private func rows(_ input: DigestInput, _ bucket: DigestBucket) -> [String] {
        input.items(in: bucket).map { "\($0.rule)/\($0.accountID)" }
    }

    @Test func splitsNewOpenAndResolvedAfterThePreviousDigest() throws {
        let anna = try #require(plan([E.anna: E.annaPrevious]).digests.first { $0.lead == E.anna.value })
        #expect(
            rows(anna, .new) == [
                "merger-exposure/A-005", "discount-creep/A-003", "single-contact/A-006", "revenue-decline/A-002",
            ])
        #expect(rows(anna, .open) == ["cost-over-margin/A-002", "single-contact/A-001"])
        #expect(rows(anna, .resolved) == ["contact-turnover/A-004"])
        #expect(anna.previousDate == Day(iso: "2026-11-19"))
    }

    @Test func severityChangeOfAKnownAlertIsNewAndSaysWhatItWas() throws {
        let anna = try #require(plan([E.anna: E.annaPrevious]).digests.first { $0.lead == E.anna.value })
        let creep = try #require(anna.items.first { $0.accountID == "A-003" })
        #expect(creep.bucket == .new)
        #expect(creep.severity == .critical)
        #expect(creep.previousSeverity == .warning)
        #expect(creep.since == Day(iso: "2026-11-17"))
        #expect(creep.ageDays == 3)
        #expect(creep.evidence.map(\.key) == ["recent_discount", "baseline_discount", "creep"])
    }

    @Test func openAlertsCarryTheirAgeInDays() throws {
        let anna = try #require(plan([E.anna: E.annaPrevious]).digests.first { $0.lead == E.anna.value })
        let ages = Dictionary(uniqueKeysWithValues: anna.items.map { ("\($0.rule)/\($0.accountID)", $0.ageDays) })
        #expect(ages["single-contact/A-001"] == 10)
        #expect(ages["cost-over-margin/A-002"] == 5)
        #expect(ages["single-contact/A-006"] == 0)
        let resolved = try #require(anna.items.first { $0.bucket == .resolved })
        #expect(resolved.resolvedOn == E.date)
        #expect(resolved.ageDays == 2)
    }

    @Test func firstDigestReportsEverythingAsNew() throws {
        let anna = try #require(plan([:]).digests.first { $0.lead == E.anna.value })
        #expect(anna.count(.new) == 6)
        #expect(anna.count(.open) == 0)
        #expect(anna.count(.resolved) == 1)
        #expect(anna.previousDate == nil)
        // A severity change the lead never saw is simply new.
        #expect(anna.items.allSatisfy { $0.previousSeverity == nil })
    }

    @Test func leadsAreGroupedCaseInsensitivelyAndMissingLeadsGoToTheFallback() {
        let p = plan([E.anna: E.annaPrevious])
        #expect(p.digests.map(\.lead) == ["anna.lead@example.com", "boris@example.com", "sales-ops@example.com"])
        #expect(p.digests.last?.items.map(\.accountID) == ["C-001"])
    }

    @Test func transitionsAfterTheDayAreLeftForTheNextDigest() throws {
        let p = plan([E.anna: E.annaPrevious])
        #expect(p.uptoSeq == 11)
        let anna = try #require(p.digests.first { $0.lead == E.anna.value })
        #expect(anna.items.first { $0.accountID == "A-001" }?.bucket == .open)
    }

    @Test func aMissedDayIsCaughtUp() throws {
        // Digest of 11-18 covered seq 1…4; none on 11-19; the 11-21 digest shows everything since.
        let previous = E.previous("2026-11-18", lead: E.anna, uptoSeq: 4)
        let p = plan([E.anna: previous], date: Day(iso: "2026-11-21")!)
        let anna = try #require(p.digests.first { $0.lead == E.anna.value })
        #expect(
            rows(anna, .new) == [
                "merger-exposure/A-005", "discount-creep/A-003", "single-contact/A-006", "revenue-decline/A-002",
            ])
        #expect(rows(anna, .open) == ["cost-over-margin/A-002"])
        #expect(rows(anna, .resolved) == ["single-contact/A-001", "contact-turnover/A-004"])
        #expect(p.uptoSeq == 12)
    }

    @Test func nothingToReportMeansNoDigestUnlessAllClear() {
        // Anna's only alert fired and resolved before her last digest: nothing new, open or resolved.
        let log = [E.transitions[3], E.transitions[6]]
        let seen = [E.anna: E.previous((E.date - 1).description, lead: E.anna, uptoSeq: 7)]
        #expect(E.planner().plan(date: E.date, transitions: log, previous: seen).digests.isEmpty)
        let allClear = E.planner(allClear: true).plan(date: E.date, transitions: log, previous: seen)
        #expect(allClear.digests.map(\.lead) == ["anna.lead@example.com"])
        #expect(allClear.digests.allSatisfy { $0.isAllClear })
    }

    @Test func anAlertThatFiredAndResolvedBetweenDigestsIsListedAsResolved() throws {
        let log = [
            E.record(
                seq: 1, time: E.at("2026-11-19 09:00"), state: .firing, rule: "single-contact", accountID: "X",
                accountName: "X", severity: .warning, lead: "anna.lead@example.com"),
            E.record(
                seq: 2, time: E.at("2026-11-19 15:00"), state: .resolved, rule: "single-contact", accountID: "X",
                accountName: "X", severity: .warning, lead: "anna.lead@example.com"),
        ]
        let p = E.planner().plan(date: E.date, transitions: log, previous: [:])
        let item = try #require(p.digests.first?.items.first)
        #expect(item.bucket == .resolved)
        #expect(item.ageDays == 0)
    }

    @Test func leadValuesThatAreNotAddressesGoToTheFallback() throws {
        let log = [
            E.record(
                seq: 1, time: E.at("2026-11-20 05:00"), state: .firing, rule: "single-contact", accountID: "X",
                accountName: "X", severity: .warning, lead: "../../etc/passwd\nBcc: everyone@example.com")
        ]
        let p = E.planner().plan(date: E.date, transitions: log, previous: [:])
        #expect(p.digests.map(\.lead) == ["sales-ops@example.com"])
        #expect(p.rejectedLeads == ["../../etc/passwd\nBcc: everyone@example.com"])
    }

    @Test func openAlertsBringFresherDetailsAndTheirCurrentLead() throws {
        // Northwind's evidence and revenue changed without a transition, and it moved to Boris.
        let fresh = E.open(
            rule: "single-contact", accountID: "A-001", accountName: "Northwind Trading AG", severity: .warning,
            since: E.at("2026-11-10 09:00"), owner: "petr@example.com", lead: "boris@example.com",
            message: "Only one active contact (refreshed).", evidence: E.ev(["n": 1, "days_alone": 40]),
            revenueAtStake: 1_300_000)
        let p = E.planner().plan(
            date: E.date, transitions: E.transitions, previous: [E.anna: E.annaPrevious], current: [fresh])
        let anna = try #require(p.digests.first { $0.lead == E.anna.value })
        #expect(!anna.items.contains { $0.accountID == "A-001" })
        let boris = try #require(p.digests.first { $0.lead == E.boris.value })
        let item = try #require(boris.items.first { $0.accountID == "A-001" })
        #expect(item.accountName == "Northwind Trading AG")
        #expect(item.evidence.map(\.key) == ["n", "days_alone"])
        #expect(item.revenueAtStake == 1_300_000)
        #expect(item.since == Day(iso: "2026-11-10"))
    }

    @Test func anOpenAlertTheLogDoesNotKnowIsStillOpen() throws {
        let orphan = E.open(
            rule: "discount-creep", accountID: "Z-9", accountName: "Old Client", severity: .critical,
            since: E.at("2026-10-01 12:00"), owner: nil, lead: "anna.lead@example.com", message: "",
            evidence: [:], revenueAtStake: nil)
        let later = E.open(
            rule: "discount-creep", accountID: "Z-10", accountName: "Tomorrow Co", severity: .critical,
            since: E.at("2026-11-21 12:00"), owner: nil, lead: "anna.lead@example.com", message: "",
            evidence: [:], revenueAtStake: nil)
        let p = E.planner().plan(
            date: E.date, transitions: E.transitions, previous: [E.anna: E.annaPrevious], current: [orphan, later])
        let anna = try #require(p.digests.first { $0.lead == E.anna.value })
        let item = try #require(anna.items.first { $0.accountID == "Z-9" })
        #expect(item.bucket == .open)
        #expect(item.ageDays == 50)
        #expect(!anna.items.contains { $0.accountID == "Z-10" })
    }

    @Test(
        arguments: [
            ("anna@example.com", "anna@example.com.eml"),
            ("Anna.O'Neil+kam@Example.COM", "anna.o_neil+kam@example.com.eml"),
            ("a/b@example.com", "a_b@example.com.eml"),
            ("..@example.com", nil),
            ("Anna <anna@example.com>", nil),
            ("", nil),
        ] as [(String, String?)])
    func leadAddressesAreCheckedAndMadeSafeFileNames(text: String, fileName: String?) {
        #expect(LeadAddress(text)?.fileName == fileName)
    }

    @Test(arguments: [
        ("a/b/../c", "a_b_._c"),
        ("../../etc/passwd", "__._etc_passwd"),
        (".hidden", "_hidden"),
        ("иван@пример.рф", "________@____________.____"),
        ("", "_"),
    ])
    func sanitizedFileStemsNeverLeaveTheFolder(text: String, stem: String) {
        let s = LeadAddress.sanitizedFileStem(text)
        #expect(s == stem)
        #expect(!s.contains("/") && !s.contains("..") && !s.hasPrefix("."))
    }

    @Test func everyLeadOfTheAccountsTableGetsAnAllClearDigest() throws {
        let leads = ["anna.lead@example.com", "never.alerted@example.com"]
        let with = E.planner(allClear: true).plan(
            date: E.date, transitions: E.transitions, previous: [E.anna: E.annaPrevious], leads: leads)
        let quiet = try #require(with.digests.first { $0.lead == "never.alerted@example.com" })
        #expect(quiet.isAllClear)
        let without = E.planner(allClear: false).plan(
            date: E.date, transitions: E.transitions, previous: [E.anna: E.annaPrevious], leads: leads)
        #expect(!without.digests.contains { $0.lead == "never.alerted@example.com" })
    }
}
