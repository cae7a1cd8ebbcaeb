/// Everything read from a data directory: typed tables indexed by account.
///
/// Accounts are numbered `0 ..< accountCount` in file order. Contacts, orders and
/// service costs are grouped by account index; rows naming no valid account are dropped.
/// Events are grouped by *entity*: entities `0 ..< accountCount` are the accounts,
/// entities from `accountCount` on are ids that events (or `parent_id`s) name but that
/// are not accounts, so that their events still count for the accounts below them.
public struct Book: Sendable {
    /// One row per account, grouped trivially (group i = row i).
    public var accounts: Table
    public var contacts: Table
    public var orders: Table
    public var serviceCosts: Table
    public var events: Table

    /// Entity ids: the account ids, then the non-account ids named by events or parents.
    public var entityIDs: [String] {
        get { names.ids }
        set { names = EntityNames(ids: newValue, index: names.index) }
    }
    /// Account or entity index of each id.
    public var entityIndex: [String: Int32] {
        get { names.index }
        set { names = EntityNames(ids: names.ids, index: newValue) }
    }
    /// The entity ids, as `String`s only once asked for.
    var names: EntityNames
    /// Parent entity of each account (`-1` when none). A parent that is not an account is
    /// an entity `>= accountCount` and ends the chain. Cycles are already broken.
    public var parent: [Int32]

    public init(
        accounts: Table, contacts: Table, orders: Table, serviceCosts: Table, events: Table,
        entityIDs: [String], entityIndex: [String: Int32], parent: [Int32]
    ) {
        self.accounts = accounts
        self.contacts = contacts
        self.orders = orders
        self.serviceCosts = serviceCosts
        self.events = events
        self.names = EntityNames(ids: entityIDs, index: entityIndex)
        self.parent = parent
    }

    /// A book whose entity ids are the accounts' id column and then `extraIDs`.
    init(
        accounts: Table, contacts: Table, orders: Table, serviceCosts: Table, events: Table,
        accountIDs: TextColumn, extraIDs: [String], parent: [Int32]
    ) {
        self.accounts = accounts
        self.contacts = contacts
        self.orders = orders
        self.serviceCosts = serviceCosts
        self.events = events
        self.names = EntityNames(accountIDs: accountIDs, extras: extraIDs)
        self.parent = parent
    }

    public var accountCount: Int { accounts.rowCount }

    public func table(_ name: TableName) -> Table {
        switch name {
        case .accounts: accounts
        case .contacts: contacts
        case .orders: orders
        case .serviceCosts: serviceCosts
        case .events: events
        }
    }

    /// Index of the account with this id.
    public func accountIndex(of id: String) -> Int? {
        guard let i = names.entity(of: id), Int(i) < accountCount else { return nil }
        return Int(i)
    }

    /// Entities above `account` (parent first), ending at the first non-account entity
    /// or at the top of the chain. Does not include `account` itself.
    public func ancestors(of account: Int) -> [Int] {
        var out: [Int] = []
        var p = Int(parent[account])
        while p >= 0 {
            out.append(p)
            if p >= accountCount { break }
            p = Int(parent[p])
        }
        return out
    }
}
