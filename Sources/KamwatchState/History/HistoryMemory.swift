/// The daemon's copy of its recorded history, kept in step with the state database so that an
/// evaluation neither reads the whole history nor records an unchanged snapshot again
/// (SPEC §6 "History"). It gives the same history as `StateStore.history()` followed by
/// `ContactHistory.recording(_:on:)`, in the same order, so the alerts are those of `check --state`.
///
/// Use: `refresh(from:)` before an evaluation (it notices another writer), `next(_:on:)` for
/// the history to apply and what to write, `StateStore.recordHistory(_:at:)`, then `commit(_:)`.
public struct HistoryMemory: Sendable {
    /// The history as the database holds it.
    public private(set) var recorded = ContactHistory()
    /// The database's history marks when `recorded` was read or written; `nil` before the first read.
    private var mark: HistoryMark?
    /// The history before the day evaluated, and what comparing a snapshot with it needs.
    private var base: Base?

    private struct Base: Sendable {
        var day: String
        /// `recorded` without the day, in the database's order.
        var history: ContactHistory
        /// Each open contact period: its index in `history.contacts` and its account.
        var contactIndex: [String: Int]
        var openContacts: [String: String]
        /// Each current parent period: its index in `history.parents` and its parent.
        var parentIndex: [String: Int]
        var openParents: [String: String?]
        /// What the database holds for the day; `nil` when the day is not recorded.
        var step: HistoryStep?
    }

    /// What to record for one evaluation: the day's snapshot replaces what was recorded for it.
    public struct Write: Sendable {
        public let day: String
        let previous: HistoryStep?
        let step: HistoryStep
        let snapshot: HistorySnapshot
        /// The history once written.
        let history: ContactHistory
        /// The database's mark the step was planned against, and its mark once written (`nil`
        /// until written, or when another writer came between).
        let expected: HistoryMark?
        var mark: HistoryMark?
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
        let current = try store.historyMark()
        if current == mark { return }
        recorded = try store.history()
        mark = current
        base = nil
    }

    /// The history with `snapshot` recorded on `day`, and what recording it takes.
    public mutating func next(_ snapshot: HistorySnapshot, on day: String) -> Next {
        if let last = recorded.days.last, last > day {
            // Rare (the clock went back): the slow path, and nothing recorded.
            return Next(
                history: recorded.recording(snapshot, on: day), write: nil,
                refused: .olderThanLastDay(day: day, last: last))
        }
        if base?.day != day { base = Self.base(of: recorded, on: day) }
        let base = base!
        let step = HistoryStep.plan(
            openContacts: base.openContacts, openParents: base.openParents, snapshot: snapshot, day: day)
        if step == base.step { return Next(history: recorded, write: nil, refused: nil) }
        var history = base.history
        for id in step.closedContacts { history.contacts[base.contactIndex[id]!].missingFrom = day }
        history.contacts.append(contentsOf: step.openedContacts)
        for id in step.closedParents { history.parents[base.parentIndex[id]!].toDay = day }
        history.parents.append(contentsOf: step.openedParents)
        history.days.append(day)
        return Next(
            history: history, write: Write(
                day: day, previous: base.step, step: step, snapshot: snapshot, history: history, expected: mark),
            refused: nil)
    }

    /// Takes a write the database accepted (`StateStore.recordHistory(_:at:)` returned it marked).
    public mutating func commit(_ write: Write) {
        guard let mark = write.mark, base?.day == write.day else {
            self.mark = nil
            return
        }
        recorded = write.history
        base?.step = write.step
        self.mark = mark
    }

    /// The history before `day` as the database would read it after undoing the day, and the
    /// day's recorded step.
    private static func base(of recorded: ContactHistory, on day: String) -> Base {
        var history = recorded.before(day)
        // The database reads by primary key: recordings appended to the end must be sorted in.
        history.contacts.sort { databaseOrder(($0.contactID, $0.firstSeen), ($1.contactID, $1.firstSeen)) }
        history.parents.sort { databaseOrder(($0.accountID, $0.fromDay), ($1.accountID, $1.fromDay)) }
        var contactIndex: [String: Int] = [:]
        var openContacts: [String: String] = [:]
        for (i, p) in history.contacts.enumerated() where p.missingFrom == nil {
            contactIndex[p.contactID] = i
            openContacts[p.contactID] = p.accountID
        }
        var parentIndex: [String: Int] = [:]
        var openParents: [String: String?] = [:]
        for (i, p) in history.parents.enumerated() where p.toDay == nil {
            parentIndex[p.accountID] = i
            openParents[p.accountID] = .some(p.parentID)
        }
        var step: HistoryStep?
        if recorded.days.last == day {
            var s = HistoryStep()
            s.closedContacts = recorded.contacts.filter { $0.missingFrom == day }.map(\.contactID).sorted()
            s.openedContacts = recorded.contacts.filter { $0.firstSeen == day }.sorted { $0.contactID < $1.contactID }
            s.closedParents = recorded.parents.filter { $0.toDay == day }.map(\.accountID).sorted()
            s.openedParents = recorded.parents.filter { $0.fromDay == day }.sorted { $0.accountID < $1.accountID }
            step = s
        }
        return Base(
            day: day, history: history, contactIndex: contactIndex, openContacts: openContacts,
            parentIndex: parentIndex, openParents: openParents, step: step)
    }
}

/// What identifies the database's history at one time: its recorded days and when the last
/// one was recorded. Another writer changes it.
public struct HistoryMark: Sendable, Equatable {
    var days: Int
    var last: String?
    var recordedAt: String?
}

/// Byte order of two keys, as SQLite's BINARY collation compares them.
private func databaseOrder(_ a: (String, String), _ b: (String, String)) -> Bool {
    if !a.0.utf8.elementsEqual(b.0.utf8) { return a.0.utf8.lexicographicallyPrecedes(b.0.utf8) }
    return a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
}
