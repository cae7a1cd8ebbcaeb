import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// Transitions for tests.
enum Records {
    static let t0 = Date(timeIntervalSince1970: 1_795_714_000.25)

    static func snapshot(_ rule: String, _ account: String, _ severity: Severity = .warning) -> Alert {
        Alert(
            rule: rule, accountID: account, accountName: "Acme \(account)", severity: severity,
            message: "one contact left", evidence: ["n": .number(1)], owner: "kam@x.org", lead: "lead@x.org",
            revenueAtStake: 1200.5, messageID: "d3ef266d21464f3ebf6edc5db71007bf")
    }

    /// Records `count` new alerts in `store` (not emitted) and returns them.
    static func record(_ count: Int, in store: StateStore) throws -> [TransitionRecord] {
        let current = (1...count).map { snapshot("single-contact", "A\($0)") }
        return try store.apply(TransitionPlanner.plan(current: current, open: try store.openAlerts()), at: t0)
    }
}
