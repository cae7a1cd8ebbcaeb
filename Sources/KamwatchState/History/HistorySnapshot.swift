import KamwatchData
import KamwatchVocabulary

/// What one day's exports say that the history remembers: the contacts seen and each
/// account's parent.
public struct HistorySnapshot: Sendable, Equatable {
    public struct Contact: Sendable, Hashable {
        public var accountID: String
        /// The file's `since`, `YYYY-MM-DD`.
        public var since: String?

        public init(accountID: String, since: String? = nil) {
            self.accountID = accountID
            self.since = since
        }
    }

    public struct Parent: Sendable, Hashable {
        public var parentID: String?
        /// The parent account's name (its id when it is no account).
        public var parentName: String?

        public init(parentID: String?, parentName: String?) {
            self.parentID = parentID
            self.parentName = parentName
        }
    }

    /// Contacts by contact id.
    public var contacts: [String: Contact]
    /// Parents by account id, for every account.
    public var parents: [String: Parent]

    public init(contacts: [String: Contact], parents: [String: Parent]) {
        self.contacts = contacts
        self.parents = parents
    }

    /// The snapshot a book gives: its contacts (those of valid accounts) and every account's
    /// parent. The book must keep the columns `ColumnSelection.keepingHistory` names.
    public init(book: Book) {
        self.init(contacts: Self.contacts(of: book), parents: Self.parents(of: book))
    }

    /// The snapshot of `book` with the parents of `previous`, for a book whose accounts did not change.
    public init(book: Book, parentsOf previous: HistorySnapshot) {
        self.init(contacts: Self.contacts(of: book), parents: previous.parents)
    }

    /// Every account's parent.
    static func parents(of book: Book) -> [String: Parent] {
        let accounts = book.accounts
        let ids = accounts.column(named: "account_id")?.textColumn ?? TextColumn()
        let names = accounts.column(named: "name")?.textColumn
        let parentIDs = accounts.column(named: "parent_id")?.textColumn
        var parents: [String: Parent] = [:]
        parents.reserveCapacity(book.accountCount)
        for a in 0..<book.accountCount {
            guard let id = ids[a] else { continue }
            let parentID = parentIDs?[a]
            var parentName = parentID
            if let parentID, let p = book.accountIndex(of: parentID) { parentName = names?[p] ?? parentID }
            parents[id] = Parent(parentID: parentID, parentName: parentName)
        }
        return parents
    }

    /// The contacts of valid accounts.
    static func contacts(of book: Book) -> [String: Contact] {
        let ids = book.accounts.column(named: "account_id")?.textColumn ?? TextColumn()
        let table = book.contacts
        let contactIDs = table.column(named: "contact_id")?.textColumn
        var since: [Int32] = []
        if case .date(let v) = table.column(named: "since") { since = v }
        var contacts: [String: Contact] = [:]
        contacts.reserveCapacity(table.rowCount)
        // Many contacts share a `since`: each day is spelled once.
        var days: [Int32: String] = [:]
        for a in 0..<book.accountCount {
            guard let accountID = ids[a] else { continue }
            for r in table.rows(ofGroup: a) {
                guard let id = contactIDs?[r] else { continue }
                var day: String?
                if r < since.count && since[r] != Column.absentDate {
                    let ordinal = since[r]
                    day = days[ordinal] ?? Day(ordinal: ordinal).description
                    days[ordinal] = day
                }
                contacts[id] = Contact(accountID: accountID, since: day)
            }
        }
        return contacts
    }
}

extension ColumnSelection {
    /// This selection with the text columns a history snapshot reads.
    public var keepingHistory: ColumnSelection {
        adding(["contact_id"], of: .contacts).adding(["account_id", "name", "parent_id"], of: .accounts)
    }
}
