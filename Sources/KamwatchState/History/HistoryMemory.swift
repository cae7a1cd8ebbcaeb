/// The daemon's copy of its recorded history, kept in step with the state database so that an
/// evaluation neither reads the whole history nor records an unchanged snapshot again
/// (SPEC §6 "History"). It gives the same history as `StateStore.history()` followed by
/// `ContactHistory.recording(_:on:)`, in the same order, so the alerts are those of `check --state`.
///
/// Use: `refresh(from:)` before an evaluation (it notices another writer), `next(_:on:)` for
/// the history to apply and what to write, `StateStore.recordHistory(_:at:)`, then `commit(_:)`.
public struct HistoryMemory: Sendable {
    /// The history as read from the database, until the evaluated day's state is built from it.
    private var loaded: ContactHistory?
    /// The database's history mark when it was last read or written; `nil` before the first read.
    private var mark: HistoryMark?
    /// The evaluated day: the history before it and what is recorded for it.
    private var current: DayState?
    /// `current` holds a step not known to be written.
    private var uncommitted = false

    private struct DayState: Sendable {
        var day: String
        /// The history before `day`, in the database's order.
        var base: ContactHistory
        /// Each open contact period of `base`: its index in `base.contacts` and its account.
        var contactIndex: [String: Int]
        var openContacts: [String: String]
        /// Each current parent period of `base`: its index in `base.parents` and its parent.
        var parentIndex: [String: Int]
        var openParents: [String: String?]
        /// What the database holds for `day`.
        var recorded: Recorded
        /// `base` with the recorded step applied, as `Book.applying` needs it, once made.
        var history: ContactHistory?
    }

    /// What the database holds for the evaluated day.
    private enum Recorded: Sendable {
        /// The day is not recorded.
        case nothing
        /// The step this snapshot gives against the day's base (what this process recorded):
        /// the step itself is not kept, as the snapshot says it for each contact and account.
        case snapshot(HistorySnapshot)
        /// A step recorded by another process (or an earlier run), by contact and account.
        case step(KeyedStep)
    }

    /// A day's step by contact and account, to compare one contact at a time.
    struct KeyedStep: Sendable, Equatable {
        var closedContacts: Set<String> = []
        var openedContacts: [String: ContactPeriod] = [:]
        var closedParents: Set<String> = []
        var openedParents: [String: ParentPeriod] = [:]

        init() {}

        init(_ step: HistoryStep) {
            closedContacts = Set(step.closedContacts)
            openedContacts = Dictionary(uniqueKeysWithValues: step.openedContacts.map { ($0.contactID, $0) })
            closedParents = Set(step.closedParents)
            openedParents = Dictionary(uniqueKeysWithValues: step.openedParents.map { ($0.accountID, $0) })
        }
    }

    /// What to record for one evaluation: only what differs from what the day holds.
    public struct Write: Sendable {
        public let day: String
        /// Periods the day no longer opens, contacts (and accounts) it no longer closes.
        var unopenContacts: [String] = []
        var uncloseContacts: [String] = []
        var unopenParents: [String] = []
        var uncloseParents: [String] = []
        /// What the day newly closes and opens.
        var closeContacts: [String] = []
        var openContacts: [ContactPeriod] = []
        var closeParents: [String] = []
        var openParents: [ParentPeriod] = []
        /// The snapshot, to record whole when another writer came between.
        let snapshot: HistorySnapshot
        /// The database's mark this was planned against; its mark once written (`nil` until
        /// written, or when another writer came between).
        let expected: HistoryMark?
        var mark: HistoryMark?

        init(day: String, snapshot: HistorySnapshot, expected: HistoryMark?) {
            self.day = day
            self.snapshot = snapshot
            self.expected = expected
        }

        var isEmpty: Bool {
            unopenContacts.isEmpty && uncloseContacts.isEmpty && unopenParents.isEmpty && uncloseParents.isEmpty
                && closeContacts.isEmpty && openContacts.isEmpty && closeParents.isEmpty && openParents.isEmpty
        }
    }

    /// One evaluation's history: what to apply to the book, and what to record (`nil`: nothing
    /// changed since the last recording, or the day is refused).
    public struct Next: Sendable {
        public let history: ContactHistory
        public let write: Write?
        /// Why the snapshot cannot be recorded (the clock went back past the last recorded day).
        public let refused: HistoryError?
    }

    public init() {}

    /// Reads the history again when the database's differs from the one held (first use,
    /// or `kamwatch history record` ran meanwhile). A cheap query when nothing changed.
    public mutating func refresh(from store: StateStore) throws {
        let now = try store.historyMark()
        if now == mark && !uncommitted { return }
        uncommitted = false
        loaded = try store.history()
        mark = now
        current = nil
    }

    /// The history with `snapshot` recorded on `day`, and what recording it takes.
    /// `sameParents`: the snapshot's parents are those of the snapshot given last (the accounts
    /// were not read again), so they are not compared.
    public mutating func next(_ snapshot: HistorySnapshot, on day: String, sameParents: Bool = false) -> Next {
        if current?.day != day {
            let recorded = loaded ?? current.map(Self.history(of:)) ?? ContactHistory()
            if let last = recorded.days.last, last > day {
                // Rare (the clock went back): the slow path, and nothing recorded.
                return Next(
                    history: recorded.recording(snapshot, on: day), write: nil,
                    refused: .olderThanLastDay(day: day, last: last))
            }
            current = Self.dayState(of: recorded, on: day)
            loaded = nil
        }
        var state = current!
        current = nil  // `state` alone holds the day's values while they change (no copies)
        defer { current = state }
        var write = Write(day: day, snapshot: snapshot, expected: mark)
        switch state.recorded {
        case .nothing:
            // The day's first recording: the whole step.
            let planned = HistoryStep.plan(
                openContacts: state.openContacts, openParents: state.openParents, snapshot: snapshot, day: day)
            write.closeContacts = planned.closedContacts
            write.openContacts = planned.openedContacts
            write.closeParents = planned.closedParents
            write.openParents = planned.openedParents
        case .snapshot(let previous):
            // Only the contacts and accounts whose snapshot entry changed can change the step:
            // both snapshots are sorted by id, compared in one pass.
            let contacts = snapshot.contacts.changedIDs(from: previous.contacts)
            let accounts = sameParents ? [] : snapshot.parents.changedIDs(from: previous.parents)
            for id in contacts.sorted() {
                let old = Self.contactEntry(id, state, previous)
                Self.change(
                    contact: id, from: old.closes, old.opens, to: Self.contactEntry(id, state, snapshot), &write)
            }
            for id in accounts.sorted() {
                let old = Self.parentEntry(id, state, previous)
                Self.change(account: id, from: old.closes, old.opens, to: Self.parentEntry(id, state, snapshot), &write)
            }
        case .step(let step):
            // Recorded elsewhere: each contact and account of the snapshot, the base or the step
            // is compared once (in no particular order: nothing to sort for a big first day).
            func contact(_ id: String) {
                Self.change(
                    contact: id, from: step.closedContacts.contains(id), step.openedContacts[id],
                    to: Self.contactEntry(id, state, snapshot), &write)
            }
            for id in snapshot.contacts.keys { contact(id) }
            for id in state.openContacts.keys where snapshot.contacts[id] == nil { contact(id) }
            for id in step.openedContacts.keys where snapshot.contacts[id] == nil && state.openContacts[id] == nil {
                contact(id)
            }
            func account(_ id: String) {
                Self.change(
                    account: id, from: step.closedParents.contains(id), step.openedParents[id],
                    to: Self.parentEntry(id, state, snapshot), &write)
            }
            for id in snapshot.parents.keys { account(id) }
            for id in step.closedParents.union(step.openedParents.keys) where snapshot.parents[id] == nil {
                account(id)
            }
        }
        let first: Bool
        if case .nothing = state.recorded { first = true } else { first = false }
        state.recorded = .snapshot(snapshot)
        if write.isEmpty && !first {
            if state.history == nil { state.history = Self.applicable(state) }
            return Next(history: state.history!, write: nil, refused: nil)
        }
        // Not known to be written until `commit`: meanwhile `refresh` reads the history again.
        uncommitted = true
        state.history = nil
        return Next(history: Self.applicable(state), write: write, refused: nil)
    }

    /// Takes a history that holds `snapshot` on `day` alone, as `StateStore.recordOnlyDay`
    /// left it (marked `mark`): nothing is read, and the next evaluation compares its snapshot
    /// with this one.
    public mutating func holdOnly(_ snapshot: HistorySnapshot, on day: String, mark: HistoryMark) {
        loaded = nil
        self.mark = mark
        uncommitted = false
        current = DayState(
            day: day, base: ContactHistory(), contactIndex: [:], openContacts: [:], parentIndex: [:],
            openParents: [:], recorded: .snapshot(snapshot), history: ContactHistory(days: [day]))
    }

    /// Takes a write the database accepted (`StateStore.recordHistory(_:at:)` returned it marked).
    /// A write not committed (it failed, or another writer came between) makes the next
    /// `refresh(from:)` read the history again.
    public mutating func commit(_ write: Write, history: ContactHistory) {
        guard let mark = write.mark, current?.day == write.day else { return }
        current?.history = history
        self.mark = mark
        uncommitted = false
    }

    // MARK: - Planning one contact or account

    /// What the day's step holds for contact `id` given `snapshot`: whether its open period
    /// ends, and the period it opens (as `HistoryStep.plan` decides).
    private static func contactEntry(
        _ id: String, _ state: DayState, _ snapshot: HistorySnapshot
    ) -> (closes: Bool, opens: ContactPeriod?) {
        let open = state.openContacts[id]
        let seen = snapshot.contacts[id]
        let closes = open != nil && seen?.accountID != open
        guard let seen, seen.accountID != open else { return (closes, nil) }
        return (
            closes, ContactPeriod(contactID: id, accountID: seen.accountID, firstSeen: state.day, since: seen.since)
        )
    }

    /// What the day's step holds for account `id`: a new account's first parent opens a period
    /// but is no change; an account missing from the snapshot keeps its parent.
    private static func parentEntry(
        _ id: String, _ state: DayState, _ snapshot: HistorySnapshot
    ) -> (closes: Bool, opens: ParentPeriod?) {
        guard let seen = snapshot.parents[id] else { return (false, nil) }
        let open = state.openParents[id]
        if let open, open == seen.parentID { return (false, nil) }
        return (
            open != nil,
            ParentPeriod(accountID: id, parentID: seen.parentID, parentName: seen.parentName, fromDay: state.day)
        )
    }

    /// Adds to `write` what turns one entry of the step into another.
    private static func change(
        contact id: String, from closed: Bool, _ opened: ContactPeriod?, to new: (closes: Bool, opens: ContactPeriod?),
        _ write: inout Write
    ) {
        if opened != new.opens {
            if opened != nil { write.unopenContacts.append(id) }
            if let opens = new.opens { write.openContacts.append(opens) }
        }
        if closed != new.closes {
            if new.closes { write.closeContacts.append(id) } else { write.uncloseContacts.append(id) }
        }
    }

    private static func change(
        account id: String, from closed: Bool, _ opened: ParentPeriod?, to new: (closes: Bool, opens: ParentPeriod?),
        _ write: inout Write
    ) {
        if opened != new.opens {
            if opened != nil { write.unopenParents.append(id) }
            if let opens = new.opens { write.openParents.append(opens) }
        }
        if closed != new.closes {
            if new.closes { write.closeParents.append(id) } else { write.uncloseParents.append(id) }
        }
    }

    // MARK: - The day's state

    /// What `Book.applying` needs of the history of `state`: all of it, except on the first
    /// recorded day, which changes nothing (and whose step holds every contact).
    private static func applicable(_ state: DayState) -> ContactHistory {
        state.base.isEmpty ? ContactHistory(days: [state.day]) : history(of: state)
    }

    /// The history of `state`: its base with its step applied, as `ContactHistory.recording` makes it.
    private static func history(of state: DayState) -> ContactHistory {
        let step: KeyedStep
        switch state.recorded {
        case .nothing: return state.base
        case .step(let recorded): step = recorded
        case .snapshot(let snapshot):
            step = KeyedStep(
                HistoryStep.plan(
                    openContacts: state.openContacts, openParents: state.openParents, snapshot: snapshot,
                    day: state.day))
        }
        var history = state.base
        for id in step.closedContacts { history.contacts[state.contactIndex[id]!].missingFrom = state.day }
        history.contacts.append(contentsOf: step.openedContacts.values.sorted { $0.contactID < $1.contactID })
        for id in step.closedParents { history.parents[state.parentIndex[id]!].toDay = state.day }
        history.parents.append(contentsOf: step.openedParents.values.sorted { $0.accountID < $1.accountID })
        history.days.append(state.day)
        return history
    }

    /// The history before `day` as the database would read it after undoing the day, and the
    /// day's recorded step.
    private static func dayState(of recorded: ContactHistory, on day: String) -> DayState {
        var base = recorded.before(day)
        // The database reads by primary key: recordings appended to the end must be sorted in.
        base.contacts.sort { databaseOrder(($0.contactID, $0.firstSeen), ($1.contactID, $1.firstSeen)) }
        base.parents.sort { databaseOrder(($0.accountID, $0.fromDay), ($1.accountID, $1.fromDay)) }
        var contactIndex: [String: Int] = [:]
        var openContacts: [String: String] = [:]
        for (i, p) in base.contacts.enumerated() where p.missingFrom == nil {
            contactIndex[p.contactID] = i
            openContacts[p.contactID] = p.accountID
        }
        var parentIndex: [String: Int] = [:]
        var openParents: [String: String?] = [:]
        for (i, p) in base.parents.enumerated() where p.toDay == nil {
            parentIndex[p.accountID] = i
            openParents[p.accountID] = .some(p.parentID)
        }
        var step = Recorded.nothing
        if recorded.days.last == day {
            var s = KeyedStep()
            for p in recorded.contacts {
                if p.missingFrom == day { s.closedContacts.insert(p.contactID) }
                if p.firstSeen == day { s.openedContacts[p.contactID] = p }
            }
            for p in recorded.parents {
                if p.toDay == day { s.closedParents.insert(p.accountID) }
                if p.fromDay == day { s.openedParents[p.accountID] = p }
            }
            step = .step(s)
        }
        return DayState(
            day: day, base: base, contactIndex: contactIndex, openContacts: openContacts,
            parentIndex: parentIndex, openParents: openParents, recorded: step)
    }
}

/// What identifies the database's history at one time: its recorded days and when the last
/// one was recorded. Another writer changes it.
public struct HistoryMark: Sendable, Equatable {
    var days: Int
    var last: String?
    var recordedAt: String?

    /// Whether no day before `day` is recorded (nothing, or `day` alone): then the history
    /// with `day`'s snapshot holds one day, and changes no book (`Book.applying`).
    public func holdsNoDay(before day: String) -> Bool {
        days == 0 || (days == 1 && last == day)
    }
}

/// Byte order of two keys, as SQLite's BINARY collation compares them.
private func databaseOrder(_ a: (String, String), _ b: (String, String)) -> Bool {
    if !a.0.utf8.elementsEqual(b.0.utf8) { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
    return a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
}
