/// The recorded history as values: the recorded days, every contact period and every parent
/// period. `check --state` and the daemon read it (`StateStore.history()`), add the snapshot
/// they evaluate (`recording(_:on:)`) and apply it to the book (`Book.applying(_:)`).
public struct ContactHistory: Sendable, Equatable {
    /// Recorded days, `YYYY-MM-DD`, oldest first.
    public var days: [String]
    public var contacts: [ContactPeriod]
    public var parents: [ParentPeriod]

    public init(days: [String] = [], contacts: [ContactPeriod] = [], parents: [ParentPeriod] = []) {
        self.days = days
        self.contacts = contacts
        self.parents = parents
    }

    public var isEmpty: Bool { days.isEmpty }

    /// The history as it was before `day` was recorded: only the days before it.
    public func before(_ day: String) -> ContactHistory {
        guard let last = days.last, last >= day else { return self }
        var out = ContactHistory(days: days.filter { $0 < day })
        for var p in contacts where p.firstSeen < day {
            if let end = p.missingFrom, end >= day { p.missingFrom = nil }
            out.contacts.append(p)
        }
        for var p in parents where p.fromDay < day {
            if let end = p.toDay, end >= day { p.toDay = nil }
            out.parents.append(p)
        }
        return out
    }

    /// The history with `snapshot` recorded on `day`, replacing what was recorded on or after it.
    public func recording(_ snapshot: HistorySnapshot, on day: String) -> ContactHistory {
        var out = before(day)
        // Where each open period is, and what the comparison needs of it.
        var openContacts: [String: Int] = [:]
        var contactAccounts: [String: String] = [:]
        openContacts.reserveCapacity(snapshot.contacts.count)
        contactAccounts.reserveCapacity(snapshot.contacts.count)
        for (i, p) in out.contacts.enumerated() where p.missingFrom == nil {
            openContacts[p.contactID] = i
            contactAccounts[p.contactID] = p.accountID
        }
        var openParents: [String: Int] = [:]
        var parentIDs: [String: String?] = [:]
        openParents.reserveCapacity(snapshot.parents.count)
        parentIDs.reserveCapacity(snapshot.parents.count)
        for (i, p) in out.parents.enumerated() where p.toDay == nil {
            openParents[p.accountID] = i
            parentIDs[p.accountID] = .some(p.parentID)
        }
        let step = HistoryStep.plan(
            openContacts: contactAccounts, openParents: parentIDs, snapshot: snapshot, day: day)
        for id in step.closedContacts { out.contacts[openContacts[id]!].missingFrom = day }
        out.contacts.append(contentsOf: step.openedContacts)
        for id in step.closedParents { out.parents[openParents[id]!].toDay = day }
        out.parents.append(contentsOf: step.openedParents)
        out.days.append(day)
        return out
    }
}
