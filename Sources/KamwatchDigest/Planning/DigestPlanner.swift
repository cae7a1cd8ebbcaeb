import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// Turns the transition log into one digest per lead. Pure: no I/O, no clock.
///
/// The log is replayed up to the end of the digest's day, so the open alerts and their
/// age are those of that day. For each lead, "new" and "resolved" are the changes after
/// the seq its previous digest covered, so a missed day is caught up the next morning.
public struct DigestPlanner: Sendable {
    public var fallback: LeadAddress
    public var timeZone: TimeZone
    public var language: Language
    public var ruleTexts: any RuleTextProvider
    /// Also plan an "all clear" digest for known leads with nothing to report.
    public var allClear: Bool

    public init(
        fallback: LeadAddress, timeZone: TimeZone, language: Language,
        ruleTexts: any RuleTextProvider, allClear: Bool
    ) {
        self.fallback = fallback
        self.timeZone = timeZone
        self.language = language
        self.ruleTexts = ruleTexts
        self.allClear = allClear
    }

    /// Every recipient the log and the open alerts name (leads, and the fallback for accounts
    /// without a valid lead).
    public func recipients(
        of transitions: [TransitionRecord], current: [OpenAlert] = [], leads: [String] = []
    ) -> Set<LeadAddress> {
        Set(transitions.map { t in t.lead.flatMap(LeadAddress.init) ?? fallback })
            .union(current.map { a in a.lead.flatMap(LeadAddress.init) ?? fallback })
            .union(allClear ? leads.compactMap(LeadAddress.init) : [])
    }

    /// Plans the digests of `date` from `transitions` (any order; those after the day are ignored).
    ///
    /// `current` are the alerts open now: an alert still open in the replayed log takes its
    /// latest evidence, message, owner and lead from there (the daemon refreshes them without
    /// a transition), and an open alert the log does not know is listed as still open. `leads` are
    /// those the accounts table names (`StateStore.knownLeads`): with `allClear`, each gets a digest.
    public func plan(
        date: Day, transitions: [TransitionRecord], previous: [LeadAddress: DigestRecord],
        current: [OpenAlert] = [], leads: [String] = []
    ) -> DigestPlan {
        let end = (date + 1).start(in: timeZone)
        let all = transitions.filter { $0.time < end }.sorted { $0.seq < $1.seq }
        // Transitions recorded under a silence are only counted; an alert announced when its
        // silence ended arrives later in the log as firing.
        let log = all.filter { $0.silenceID == nil }
        var rejected = Set<String>()
        func recipient(_ lead: String?) -> LeadAddress {
            guard let lead, !lead.trimmingASCIIWhitespace().isEmpty else { return fallback }
            if let address = LeadAddress(lead) { return address }
            rejected.insert(lead)
            return fallback
        }

        var episodes: [EpisodeKey: Episode] = [:]
        var order: [EpisodeKey] = []
        var knownLeads = Set<LeadAddress>(previous.keys).union(leads.map(recipient))
        for t in log {
            let key = EpisodeKey(rule: t.rule, accountID: t.accountID)
            knownLeads.insert(recipient(t.lead))
            if var e = episodes[key] {
                e.apply(t)
                episodes[key] = e
            } else {
                episodes[key] = Episode(first: t)
                order.append(key)
            }
        }

        for a in current where a.since < end && a.silencedBy == nil {
            let key = EpisodeKey(rule: a.rule, accountID: a.accountID)
            if var e = episodes[key] {
                guard e.isOpen else { continue }  // resolved later that day: the log is right
                e.refresh(from: a)
                episodes[key] = e
            } else {
                episodes[key] = Episode(open: a)
                order.append(key)
            }
            knownLeads.insert(recipient(a.lead))
        }

        var byLead: [LeadAddress: [DigestItem]] = [:]
        for key in order {
            guard let e = episodes[key] else { continue }
            let lead = recipient(e.shown.lead)
            let after = previous[lead]?.uptoSeq ?? 0
            if let item = item(for: e, after: after, date: date) {
                byLead[lead, default: []].append(item)
            }
        }

        var silenced: [LeadAddress: Int] = [:]
        for t in all where t.silenceID != nil {
            let lead = recipient(t.lead)
            if t.seq > previous[lead]?.uptoSeq ?? 0 { silenced[lead, default: 0] += 1 }
        }

        let leads = allClear ? knownLeads.union(byLead.keys) : Set(byLead.keys)
        let digests = leads.sorted().map { lead in
            DigestInput(
                lead: lead.value, date: date, previousDate: previous[lead].flatMap { Day(iso: $0.date) },
                items: (byLead[lead] ?? []).sorted(by: DigestItem.precedes), silenced: silenced[lead] ?? 0)
        }
        return DigestPlan(
            date: date, uptoSeq: all.last?.seq ?? previous.values.map(\.uptoSeq).max() ?? 0,
            digests: digests, rejectedLeads: rejected.sorted())
    }

    private func item(for e: Episode, after seq: Int64, date: Day) -> DigestItem? {
        let bucket: DigestBucket
        if e.isOpen {
            bucket = e.lastFiringSeq > seq ? .new : .open
        } else {
            guard e.last.seq > seq else { return nil }
            bucket = .resolved
        }
        let since = Day(e.openedAt, in: timeZone)
        let resolvedOn = e.isOpen ? nil : Day(e.last.time, in: timeZone)
        let text = ruleTexts.text(for: e.shown.rule, language: language)
        // A severity change is news only to a lead who saw the alert before it changed.
        let previousSeverity = bucket == .new && e.openedSeq <= seq ? e.severityBefore(seq: seq) : nil
        return DigestItem(
            bucket: bucket, alert: e.shown, ruleTitle: text?.title ?? e.shown.rule, advice: text?.advice,
            previousSeverity: previousSeverity, since: since, ageDays: max(0, (resolvedOn ?? date) - since),
            resolvedOn: resolvedOn, evidenceStyles: text?.evidenceStyles ?? [:])
    }
}

private struct EpisodeKey: Hashable {
    var rule: String
    var accountID: String
}

/// The life of one (rule, account) alert as the log tells it; the latest episode wins.
private struct Episode {
    var last: TransitionRecord
    var isOpen: Bool
    var openedSeq: Int64
    var openedAt: Date
    var lastFiringSeq: Int64
    /// Severity after each firing transition of the current episode, by seq.
    var firings: [(seq: Int64, severity: Severity)]
    /// The alert as it looked while it held (a resolved transition may carry less).
    var shown: Alert

    init(first t: TransitionRecord) {
        last = t
        isOpen = t.state == .firing
        openedSeq = t.seq
        openedAt = t.time
        lastFiringSeq = t.state == .firing ? t.seq : 0
        firings = t.state == .firing ? [(t.seq, t.severity)] : []
        shown = t.alert
    }

    /// An alert open in the state but absent from the log: already known, so never "new".
    init(open a: OpenAlert) {
        self.init(first: TransitionRecord(seq: 0, time: a.since, state: .firing, alert: a.alert, previousSeverity: nil))
    }

    /// Takes the open alert's fresher details; severity and timing stay the log's.
    mutating func refresh(from a: OpenAlert) {
        let severity = shown.severity
        let revenue = shown.revenueAtStake
        shown = a.alert
        shown.severity = severity
        shown.revenueAtStake = a.revenueAtStake ?? revenue
    }

    mutating func apply(_ t: TransitionRecord) {
        switch t.state {
        case .firing:
            if !isOpen { self = Episode(first: t); return }
            lastFiringSeq = t.seq
            firings.append((t.seq, t.severity))
            let revenue = shown.revenueAtStake
            shown = t.alert
            shown.revenueAtStake = t.revenueAtStake ?? revenue
        case .resolved:
            isOpen = false
            let held = shown
            shown = t.alert
            shown.severity = held.severity
            if t.evidence.isEmpty { shown.evidence = held.evidence }
            if t.message.isEmpty { shown.message = held.message }
            shown.revenueAtStake = t.revenueAtStake ?? held.revenueAtStake
        }
        last = t
    }

    /// The severity the alert had once the log reached `seq`.
    func severityBefore(seq: Int64) -> Severity? {
        firings.last(where: { $0.seq <= seq })?.severity
    }
}
