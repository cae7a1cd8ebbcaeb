/// What recording one snapshot changes in the history (a pure plan, applied to the database by
/// `StateStore.recordHistory` and in memory by `ContactHistory.recording`).
struct HistoryStep: Sendable, Equatable {
    /// Contacts whose open period ends: missing on the day, or seen at another account.
    var closedContacts: [String] = []
    var openedContacts: [ContactPeriod] = []
    /// Accounts whose current parent period ends: the parent changed.
    var closedParents: [String] = []
    var openedParents: [ParentPeriod] = []

    /// Compares the open periods (as of the last recorded day before `day`) with `snapshot`.
    /// A new account's first parent opens a period but is no change; an account missing from
    /// the snapshot keeps its parent.
    ///
    /// `openContacts` maps each contact of an open period to its account, `openParents` each
    /// account of a current parent period to its parent (`nil`: none).
    static func plan(
        openContacts: [String: String], openParents: [String: String?], snapshot: HistorySnapshot, day: String
    ) -> HistoryStep {
        var step = HistoryStep()
        for (id, account) in openContacts where snapshot.contacts[id]?.accountID != account {
            step.closedContacts.append(id)
        }
        for (id, seen) in snapshot.contacts where openContacts[id] != seen.accountID {
            step.openedContacts.append(
                ContactPeriod(contactID: id, accountID: seen.accountID, firstSeen: day, since: seen.since))
        }
        for (account, seen) in snapshot.parents {
            if let current = openParents[account] {
                if current == seen.parentID { continue }
                step.closedParents.append(account)
            }
            step.openedParents.append(
                ParentPeriod(accountID: account, parentID: seen.parentID, parentName: seen.parentName, fromDay: day))
        }
        // Dictionary order differs between runs: the plan does not.
        step.closedContacts.sort()
        step.openedContacts.sort { $0.contactID < $1.contactID }
        step.closedParents.sort()
        step.openedParents.sort { $0.accountID < $1.accountID }
        return step
    }
}
