import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

/// `for:` and `keep_firing_for:` over day boundaries, with the timing rows carried from one
/// evaluation to the next as the state stores them.
@Suite("Transition planning: for and keep_firing_for")
struct TransitionTimingTests {
    let monday = Day(iso: "2026-11-30")!
    let a = TestAlerts.snapshot("discount-creep", "A1")

    /// Replays evaluations through a real (in-memory) state: `holds[i]` is whether the alert
    /// holds at the evaluation on `days[i]`; returns the states of the transitions of each.
    func replay(_ timing: RuleTiming, _ steps: [(Day, Bool)]) throws -> [[TransitionState]] {
        let store = try StateStore.inMemory()
        var out: [[TransitionState]] = []
        for (day, holds) in steps {
            let plan = TransitionPlanner.plan(
                current: holds ? [a] : [], open: try store.openAlerts(), day: day,
                timings: ["discount-creep": timing], timing: try store.alertTimings())
            out.append(try store.apply(plan, at: day.start(in: TimeZone(identifier: "UTC")!)).map(\.state))
        }
        return out
    }

    @Test("for: 2d fires at the first evaluation two days after it was first seen holding")
    func forTwoDays() throws {
        let m = monday
        let states = try replay(
            RuleTiming(forDays: 2), [(m, true), (m, true), (m + 1, true), (m + 1, true), (m + 2, true), (m + 3, true)])
        #expect(states == [[], [], [], [], [.firing], []])
    }

    @Test("for: an evaluation that finds it not holding starts the wait again")
    func forResets() throws {
        let m = monday
        let states = try replay(
            RuleTiming(forDays: 2), [(m, true), (m + 1, false), (m + 2, true), (m + 3, true), (m + 4, true)])
        #expect(states == [[], [], [], [], [.firing]])
    }

    @Test("for: days without an evaluation (the daemon was down) still count")
    func forAcrossDowntime() throws {
        #expect(try replay(RuleTiming(forDays: 2), [(monday, true), (monday + 5, true)]) == [[], [.firing]])
    }

    @Test("for: a pending alert that stops holding resolves nothing and leaves no row")
    func pendingNeverResolves() throws {
        let store = try StateStore.inMemory()
        let timings = ["discount-creep": RuleTiming(forDays: 3)]
        let t = Date(timeIntervalSince1970: 0)
        try store.apply(
            TransitionPlanner.plan(current: [a], open: [], day: monday, timings: timings, timing: []), at: t)
        #expect(try store.alertTimings().map(\.pendingSince) == ["2026-11-30"])
        #expect(try store.openAlerts().isEmpty)
        let plan = TransitionPlanner.plan(
            current: [], open: [], day: monday + 1, timings: timings, timing: try store.alertTimings())
        #expect(plan.transitions.isEmpty)
        try store.apply(plan, at: t)
        #expect(try store.alertTimings().isEmpty)
    }

    @Test("keep_firing_for: 2d resolves two days after it was first seen not holding, if it still does not hold")
    func keepFiring() throws {
        let m = monday
        let states = try replay(
            RuleTiming(keepFiringDays: 2), [(m, true), (m + 1, false), (m + 2, false), (m + 3, false), (m + 4, false)])
        #expect(states == [[.firing], [], [], [.resolved], []])
    }

    @Test("keep_firing_for: holding again while kept firing is no transition, and the wait starts again")
    func keepFiringHoldsAgain() throws {
        let m = monday
        let states = try replay(
            RuleTiming(keepFiringDays: 2),
            [(m, true), (m + 1, false), (m + 2, true), (m + 3, false), (m + 4, false), (m + 5, false)])
        #expect(states == [[.firing], [], [], [], [], [.resolved]])
    }

    @Test("a rule removed from the set resolves its kept alerts at once")
    func removedRuleResolves() {
        let open = [TestAlerts.open(a)]
        let kept = [AlertTiming(a.key, notHeldSince: monday)]
        let plan = TransitionPlanner.plan(current: [], open: open, day: monday + 1, timings: [:], timing: kept)
        #expect(plan.transitions.map(\.state) == [.resolved])
        #expect(plan.timingDone == [a.key])
    }

    @Test("a restart neither fires again nor forgets a pending alert: the rows are in the database")
    func pendingSurvivesRestart() throws {
        let dir = try TestAlerts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let timings = ["discount-creep": RuleTiming(forDays: 1)]
        let t = Date(timeIntervalSince1970: 0)
        do {
            let store = try StateStore(directory: dir)
            try store.apply(
                TransitionPlanner.plan(current: [a], open: [], day: monday, timings: timings, timing: []), at: t)
        }
        let store = try StateStore(directory: dir)
        let again = TransitionPlanner.plan(
            current: [a], open: try store.openAlerts(), day: monday, timings: timings, timing: try store.alertTimings())
        #expect(again.transitions.isEmpty)
        let next = TransitionPlanner.plan(
            current: [a], open: try store.openAlerts(), day: monday + 1, timings: timings,
            timing: try store.alertTimings())
        #expect(next.transitions.map(\.state) == [.firing])
    }
}
