import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

@Suite("Transition planning")
struct TransitionPlannerTests {
    @Test("a new alert fires with no previous severity")
    func newAlertFires() {
        let a = TestAlerts.snapshot("single-contact", "A1", .critical)
        let plan = TransitionPlanner.plan(current: [a], open: [])
        #expect(plan.transitions == [PlannedTransition(state: .firing, alert: a, previousSeverity: nil)])
        #expect(plan.refreshed.isEmpty)
    }

    @Test("an alert that still holds unchanged yields nothing")
    func unchangedIsSilent() {
        let a = TestAlerts.snapshot("single-contact", "A1")
        #expect(TransitionPlanner.plan(current: [a], open: [TestAlerts.open(a)]).isEmpty)
    }

    @Test(
        "a severity change fires with the previous severity",
        arguments: [
            (Severity.warning, Severity.critical), (.critical, .warning),
        ])
    func severityChange(from: Severity, to: Severity) {
        let old = TestAlerts.snapshot("discount-creep", "A1", from)
        let new = TestAlerts.snapshot("discount-creep", "A1", to)
        let plan = TransitionPlanner.plan(current: [new], open: [TestAlerts.open(old)])
        #expect(plan.transitions == [PlannedTransition(state: .firing, alert: new, previousSeverity: from)])
    }

    @Test("an open alert that no longer holds resolves, with its last details")
    func goneResolves() {
        let old = TestAlerts.snapshot("cost-over-margin", "A1", .critical, message: "last")
        let plan = TransitionPlanner.plan(current: [], open: [TestAlerts.open(old)])
        #expect(plan.transitions == [PlannedTransition(state: .resolved, alert: old, previousSeverity: .critical)])
    }

    @Test("alerts of a rule removed from the set resolve")
    func removedRuleResolves() {
        let kept = TestAlerts.snapshot("single-contact", "A1")
        let dropped = TestAlerts.snapshot("old-rule", "A1")
        let plan = TransitionPlanner.plan(current: [kept], open: [TestAlerts.open(kept), TestAlerts.open(dropped)])
        #expect(plan.transitions.map(\.state) == [.resolved])
        #expect(plan.transitions.map(\.alert.rule) == ["old-rule"])
    }

    @Test("changed evidence at the same severity refreshes without a transition")
    func evidenceRefresh() {
        let old = TestAlerts.snapshot("merger-exposure", "A1", evidence: ["share": .number(0.01)])
        let new = TestAlerts.snapshot("merger-exposure", "A1", evidence: ["share": .number(0.02)])
        let plan = TransitionPlanner.plan(current: [new], open: [TestAlerts.open(old)])
        #expect(plan.transitions.isEmpty)
        #expect(plan.refreshed == [new])
    }

    @Test("transitions are ordered by rule, then account id")
    func ordering() {
        let current = [
            TestAlerts.snapshot("b", "2"), TestAlerts.snapshot("a", "9"), TestAlerts.snapshot("b", "1"),
        ]
        let plan = TransitionPlanner.plan(current: current, open: [TestAlerts.open(TestAlerts.snapshot("a", "5"))])
        #expect(plan.transitions.map { "\($0.alert.rule)/\($0.alert.accountID)" } == ["a/5", "a/9", "b/1", "b/2"])
    }
}
