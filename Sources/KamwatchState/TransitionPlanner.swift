import Foundation
import KamwatchVocabulary

/// One transition to record: the alert as it now is (for `resolved`, as it last was).
public struct PlannedTransition: Sendable, Hashable {
    public var state: TransitionState
    public var alert: Alert
    /// `nil` for a new alert; the old severity on a change; the last severity when resolved.
    public var previousSeverity: Severity?

    public init(state: TransitionState, alert: Alert, previousSeverity: Severity?) {
        self.state = state
        self.alert = alert
        self.previousSeverity = previousSeverity
    }
}

/// What an evaluation changes in the state: transitions to log and emit, and open alerts
/// whose details (message, evidence, names) changed without a transition.
public struct TransitionPlan: Sendable, Hashable {
    /// Ordered by rule, then account id.
    public var transitions: [PlannedTransition]
    /// Still open at the same severity, with other details changed: updated silently.
    public var refreshed: [Alert]

    public init(transitions: [PlannedTransition] = [], refreshed: [Alert] = []) {
        self.transitions = transitions
        self.refreshed = refreshed
    }

    public var isEmpty: Bool { transitions.isEmpty && refreshed.isEmpty }
}

/// Compares what holds now with the open alerts: pure, no I/O.
public enum TransitionPlanner {
    /// New → firing (no previous severity); severity changed → firing with the previous
    /// severity; open but no longer holding (including alerts of a rule that was removed)
    /// → resolved.
    public static func plan(current: [Alert], open: [OpenAlert]) -> TransitionPlan {
        var openByKey: [AlertKey: OpenAlert] = [:]
        openByKey.reserveCapacity(open.count)
        for o in open { openByKey[o.key] = o }
        var plan = TransitionPlan()
        var seen = Set<AlertKey>()
        seen.reserveCapacity(current.count)
        for a in current {
            let key = a.key
            // A rule yields one alert per account; should one repeat, the first one counts.
            guard seen.insert(key).inserted else { continue }
            guard let old = openByKey[key] else {
                plan.transitions.append(PlannedTransition(state: .firing, alert: a, previousSeverity: nil))
                continue
            }
            if old.severity != a.severity {
                plan.transitions.append(PlannedTransition(state: .firing, alert: a, previousSeverity: old.severity))
            } else if old.alert != a {
                plan.refreshed.append(a)
            }
        }
        for o in open where !seen.contains(o.key) {
            plan.transitions.append(
                PlannedTransition(state: .resolved, alert: o.alert, previousSeverity: o.severity))
        }
        plan.transitions.sort { $0.alert.key < $1.alert.key }
        plan.refreshed.sort { $0.key < $1.key }
        return plan
    }
}
