import Foundation
import KamwatchRules
import KamwatchVocabulary

/// One transition to record: the alert as it now is (for `resolved`, as it last was).
public struct PlannedTransition: Sendable, Hashable {
    public var state: TransitionState
    public var alert: Alert
    /// `nil` for a new alert; the old severity on a change; the last severity when resolved.
    public var previousSeverity: Severity?
    /// The silence it happens under: recorded and journaled quietly, no outbox file.
    public var silenceID: Int64?

    public init(state: TransitionState, alert: Alert, previousSeverity: Severity?, silenceID: Int64? = nil) {
        self.state = state
        self.alert = alert
        self.previousSeverity = previousSeverity
        self.silenceID = silenceID
    }
}

/// What an evaluation changes in the state: transitions to log and emit, and open alerts
/// whose details (message, evidence, names) changed without a transition.
public struct TransitionPlan: Sendable, Hashable {
    /// Ordered by rule, then account id.
    public var transitions: [PlannedTransition]
    /// Still open at the same severity, with other details changed: updated silently.
    public var refreshed: [Alert]
    /// Open alerts not yet announced whose silence ended while another one covers them.
    public var resilenced: [AlertKey: Int64]
    /// Rows of `alert_timing` to write (pending, or kept firing) and to delete.
    public var timing: [AlertTiming]
    public var timingDone: [AlertKey]

    public init(
        transitions: [PlannedTransition] = [], refreshed: [Alert] = [], resilenced: [AlertKey: Int64] = [:],
        timing: [AlertTiming] = [], timingDone: [AlertKey] = []
    ) {
        self.transitions = transitions
        self.refreshed = refreshed
        self.resilenced = resilenced
        self.timing = timing
        self.timingDone = timingDone
    }

    public var isEmpty: Bool {
        transitions.isEmpty && refreshed.isEmpty && resilenced.isEmpty && timing.isEmpty && timingDone.isEmpty
    }
}

/// Compares what holds now with the open alerts: pure, no I/O, no clock (the day is given).
public enum TransitionPlanner {
    /// New → firing (no previous severity); severity changed → firing with the previous
    /// severity; open but no longer holding (including alerts of a rule that was removed)
    /// → resolved. With no timings, silences or timing rows: at once, announced.
    public static func plan(current: [Alert], open: [OpenAlert]) -> TransitionPlan {
        plan(current: current, open: open, day: Day(ordinal: 0))
    }

    /// As above, on `day`, with each rule's `for:`/`keep_firing_for:` (`timings`, by rule id;
    /// a rule not in it fires and resolves at once), the stored `timing` rows, and the
    /// `silences` active on `day`.
    ///
    /// An open alert recorded under a silence (`silencedBy`) that no silence covers any more is
    /// announced as firing (no previous severity: its audience has not seen it).
    public static func plan(
        current: [Alert], open: [OpenAlert], day: Day, timings: [String: RuleTiming] = [:],
        timing stored: [AlertTiming] = [], silences: [Silence] = []
    ) -> TransitionPlan {
        var openByKey: [AlertKey: OpenAlert] = [:]
        openByKey.reserveCapacity(open.count)
        for o in open { openByKey[o.key] = o }
        return plan(current: current, open: openByKey, day: day, timings: timings, timing: stored, silences: silences)
    }

    /// As above, with the open alerts by key (as the daemon keeps them: tens of thousands on
    /// a large book, not copied into a list and indexed again at each evaluation).
    public static func plan(
        current: [Alert], open openByKey: [AlertKey: OpenAlert], day: Day, timings: [String: RuleTiming] = [:],
        timing stored: [AlertTiming] = [], silences: [Silence] = []
    ) -> TransitionPlan {
        var storedByKey: [AlertKey: AlertTiming] = [:]
        for t in stored { storedByKey[t.key] = t }
        let silences = silences.filter { $0.isActive(on: day) }
        func silence(_ key: AlertKey) -> Int64? {
            silences.isEmpty ? nil : silences.covering(key)?.id
        }
        var timing: [AlertKey: AlertTiming] = [:]

        var plan = TransitionPlan()
        var seen = Set<AlertKey>()
        seen.reserveCapacity(current.count)
        for a in current {
            let key = a.key
            // A rule yields one alert per account; should one repeat, the first one counts.
            guard seen.insert(key).inserted else { continue }
            let silenceID = silence(key)
            guard let old = openByKey[key] else {
                let wait = timings[key.rule]?.forDays ?? 0
                if wait > 0 {
                    let since = storedByKey[key]?.pendingDay ?? day
                    if day - since < wait {
                        timing[key] = AlertTiming(key, pendingSince: since)
                        continue
                    }
                }
                plan.transitions.append(
                    PlannedTransition(state: .firing, alert: a, previousSeverity: nil, silenceID: silenceID))
                continue
            }
            let unannounced = old.silencedBy != nil
            if old.severity != a.severity || (unannounced && silenceID == nil) {
                plan.transitions.append(
                    PlannedTransition(
                        state: .firing, alert: a,
                        previousSeverity: unannounced && silenceID == nil ? nil : old.severity, silenceID: silenceID))
            } else {
                if old.alert != a { plan.refreshed.append(a) }
                if unannounced, let silenceID, silenceID != old.silencedBy { plan.resilenced[key] = silenceID }
            }
        }
        for o in openByKey.values where !seen.contains(o.key) {
            let key = o.key
            let keep = timings[key.rule]?.keepFiringDays ?? 0
            if keep > 0 {
                let since = storedByKey[key]?.notHeldDay ?? day
                if day - since < keep {
                    timing[key] = AlertTiming(key, notHeldSince: since)
                    continue
                }
            }
            // Never announced: its end is not announced either.
            let silenceID = silence(key) ?? o.silencedBy
            plan.transitions.append(
                PlannedTransition(state: .resolved, alert: o.alert, previousSeverity: o.severity, silenceID: silenceID))
        }
        plan.transitions.sort { $0.alert.key < $1.alert.key }
        plan.refreshed.sort { $0.key < $1.key }
        plan.timing = timing.values.filter { storedByKey[$0.key] != $0 }.sorted { $0.key < $1.key }
        plan.timingDone = storedByKey.keys.filter { timing[$0] == nil }.sorted()
        return plan
    }
}
