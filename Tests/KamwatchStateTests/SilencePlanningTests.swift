import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

/// Silences in the planner and the state, on injected days: no clock is read.
@Suite("Silences")
struct SilencePlanningTests {
    let monday = Day(iso: "2026-11-30")!
    let a = TestAlerts.snapshot("discount-creep", "A1")
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    func silence(_ store: StateStore, rule: String? = nil, account: String? = "A1", until: Day) throws -> Silence {
        try store.addSilence(
            Silence(rule: rule, accountID: account, until: until, reason: "handled", createdBy: "ops", createdAt: t0))
    }

    func evaluate(_ store: StateStore, _ current: [Alert], on day: Day) throws -> [TransitionRecord] {
        let plan = TransitionPlanner.plan(
            current: current, open: try store.openAlerts(), day: day, timing: try store.alertTimings(),
            silences: try store.activeSilences(on: day))
        return try store.apply(plan, at: t0)
    }

    @Test("a silence covers its rule, its account, or both")
    func matching() {
        let both = Silence(rule: "r", accountID: "A", until: monday, reason: "x", createdBy: nil, createdAt: t0)
        let rule = Silence(rule: "r", accountID: nil, until: monday, reason: "x", createdBy: nil, createdAt: t0)
        let account = Silence(rule: nil, accountID: "A", until: monday, reason: "x", createdBy: nil, createdAt: t0)
        #expect(both.matches(AlertKey(rule: "r", accountID: "A")))
        #expect(!both.matches(AlertKey(rule: "r", accountID: "B")))
        #expect(rule.matches(AlertKey(rule: "r", accountID: "B")))
        #expect(!rule.matches(AlertKey(rule: "q", accountID: "A")))
        #expect(account.matches(AlertKey(rule: "q", accountID: "A")))
    }

    @Test("a silence holds through its last day and ends when that day has passed, or when expired")
    func expiryAtItsTime() {
        var s = Silence(rule: "r", accountID: nil, until: monday, reason: "x", createdBy: nil, createdAt: t0)
        #expect(s.isActive(on: monday - 3))
        #expect(s.isActive(on: monday))
        #expect(!s.isActive(on: monday + 1))
        s.expiredAt = t0
        #expect(!s.isActive(on: monday))
    }

    @Test(
        "a silenced alert is recorded with the silence id, needs no outbox file, and is announced once when the silence ends"
    )
    func silencedThenAnnounced() throws {
        let store = try StateStore.inMemory()
        let s = try silence(store, until: monday + 1)
        let first = try evaluate(store, [a], on: monday)
        #expect(first.map(\.silenceID) == [s.id])
        #expect(first.map(\.emittedOutbox) == [true])
        #expect(try store.openAlerts().map(\.silencedBy) == [s.id])
        // Still silenced the next day: nothing.
        #expect(try evaluate(store, [a], on: monday + 1).isEmpty)
        // The day after its last: announced as firing, as new, once.
        let announced = try evaluate(store, [a], on: monday + 2)
        #expect(announced.map(\.state) == [.firing])
        #expect(announced.map(\.silenceID) == [nil])
        #expect(announced.map(\.previousSeverity) == [nil])
        #expect(announced.map(\.emittedOutbox) == [false])
        #expect(try store.openAlerts().map(\.silencedBy) == [nil])
        #expect(try store.openAlerts().map(\.since) == [t0])
        #expect(try evaluate(store, [a], on: monday + 3).isEmpty)
    }

    @Test("expiring a silence by hand announces at the next evaluation")
    func expiredByHand() throws {
        let store = try StateStore.inMemory()
        let s = try silence(store, rule: "discount-creep", account: nil, until: monday + 30)
        _ = try evaluate(store, [a], on: monday)
        #expect(try store.expireSilence(id: s.id, at: t0)?.expiredAt == t0)
        #expect(try evaluate(store, [a], on: monday).map(\.silenceID) == [nil])
    }

    @Test("an alert resolved while silenced is resolved quietly, and nothing is announced later")
    func resolvedWhileSilenced() throws {
        let store = try StateStore.inMemory()
        let s = try silence(store, until: monday)
        _ = try evaluate(store, [a], on: monday)
        let resolved = try evaluate(store, [], on: monday)
        #expect(resolved.map(\.state) == [.resolved])
        #expect(resolved.map(\.silenceID) == [s.id])
        #expect(try evaluate(store, [], on: monday + 1).isEmpty)
    }

    @Test("an unsilenced open alert resolving under a new silence is quiet; alerts of other accounts are not")
    func newSilenceOnOpenAlert() throws {
        let store = try StateStore.inMemory()
        let b = TestAlerts.snapshot("discount-creep", "B2")
        #expect(try evaluate(store, [a, b], on: monday).map(\.silenceID) == [nil, nil])
        let s = try silence(store, until: monday + 5)
        let resolved = try evaluate(store, [], on: monday + 1)
        #expect(resolved.map(\.silenceID) == [s.id, nil])
    }

    @Test("when one silence ends and another still covers the alert, it stays quiet under the other")
    func handOver() throws {
        let store = try StateStore.inMemory()
        let short = try silence(store, until: monday)
        let long = try silence(store, rule: "discount-creep", account: nil, until: monday + 9)
        _ = try evaluate(store, [a], on: monday)
        #expect(try store.openAlerts().map(\.silencedBy) == [short.id])
        #expect(try evaluate(store, [a], on: monday + 1).isEmpty)
        #expect(try store.openAlerts().map(\.silencedBy) == [long.id])
    }
}
