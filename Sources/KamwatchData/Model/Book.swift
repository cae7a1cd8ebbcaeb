import KamwatchVocabulary

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
    /// an entity `>= accountCount` and ends the chain. Cycles are kept as they are: a chain
    /// is followed until an id repeats (see `ancestorCounts`).
    public var parent: [Int32] {
        didSet { ancestorCounts = Book.ancestorCounts(parent: parent, accountCount: accounts.rowCount) }
    }
    /// How many distinct entities lie above each account: walking `parent` that many steps
    /// visits each ancestor once and stops before an id repeats (or at a non-account entity).
    public private(set) var ancestorCounts: [Int32]

    /// Whether the account ids ascend in byte order (then alerts sorted by account need no sort).
    public let accountIDsAscend: Bool

    public init(
        accounts: Table, contacts: Table, orders: Table, serviceCosts: Table, events: Table,
        entityIDs: [String], entityIndex: [String: Int32], parent: [Int32]
    ) {
        let ids = accounts.column(named: "account_id")?.textColumn
        self.init(
            accounts: accounts, contacts: contacts, orders: orders, serviceCosts: serviceCosts, events: events,
            names: EntityNames(ids: entityIDs, index: entityIndex), parent: parent,
            accountIDsAscend: ids?.ascendsStrictly() ?? true)
    }

    /// A book whose entity ids are the accounts' id column and then `extraIDs`.
    init(
        accounts: Table, contacts: Table, orders: Table, serviceCosts: Table, events: Table,
        accountIDs: TextColumn, extraIDs: [String], parent: [Int32], accountIDsAscend: Bool
    ) {
        self.init(
            accounts: accounts, contacts: contacts, orders: orders, serviceCosts: serviceCosts, events: events,
            names: EntityNames(accountIDs: accountIDs, extras: extraIDs), parent: parent,
            accountIDsAscend: accountIDsAscend)
    }

    private init(
        accounts: Table, contacts: Table, orders: Table, serviceCosts: Table, events: Table, names: EntityNames,
        parent: [Int32], accountIDsAscend: Bool
    ) {
        self.accounts = accounts
        self.contacts = contacts
        self.orders = orders
        self.serviceCosts = serviceCosts
        self.events = events
        self.names = names
        self.parent = parent
        self.ancestorCounts = Book.ancestorCounts(parent: parent, accountCount: accounts.rowCount)
        self.accountIDsAscend = accountIDsAscend
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

    /// Entities above `account` (parent first), ending at the first non-account entity,
    /// at the top of the chain, or before an id would repeat. Does not include `account`.
    public func ancestors(of account: Int) -> [Int] {
        var out: [Int] = []
        var p = Int(parent[account])
        for _ in 0..<Int(ancestorCounts[account]) {
            out.append(p)
            if p >= accountCount { break }
            p = Int(parent[p])
        }
        return out
    }

    /// How many ancestors an account's chain is followed through. Real hierarchies are a few
    /// levels deep; a deeper chain is cut here (and reported when the book is assembled), so
    /// that evaluating `ancestors.`/`lineage.` aggregates stays linear in the number of accounts.
    public static let maxAncestorDepth = 100

    /// For each account, the number of distinct entities its parent chain visits before an id
    /// repeats, at most `maxAncestorDepth`.
    static func ancestorCounts(parent: [Int32], accountCount n: Int) -> [Int32] {
        chainLengths(parent: parent, accountCount: n).map { Swift.min($0, Int32(maxAncestorDepth)) }
    }

    /// For each account, the number of distinct entities its parent chain visits before an
    /// id repeats. A member of a cycle of k accounts has the other k − 1 above it; an
    /// account leading into a cycle has all k of them, plus those in between.
    static func chainLengths(parent: [Int32], accountCount n: Int) -> [Int32] {
        var count = [Int32](repeating: -1, count: n)
        var position = [Int32](repeating: -1, count: n)  // index on the current path
        // The current path (at most every account once), on the stack of a plain buffer: a
        // million accounts are walked on one core while the book is put together.
        let path = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { path.deallocate() }
        parent.withUnsafeBufferPointer { parent in
            count.withUnsafeMutableBufferPointer { count in
                position.withUnsafeMutableBufferPointer { position in
                    for start in 0..<n where count[start] < 0 {
                        var depth = 0
                        var v = start
                        while count[v] < 0 {
                            if position[v] >= 0 {
                                // A cycle: its members see each other, once.
                                let first = Int(position[v])
                                let k = Int32(depth - first)
                                for j in first..<depth { count[Int(path[j])] = k - 1 }
                                depth = first
                                break
                            }
                            position[v] = Int32(depth)
                            path[depth] = Int32(v)
                            depth += 1
                            let p = Int(parent[v])
                            if p < 0 || p >= n {
                                count[v] = p < 0 ? 0 : 1
                                depth -= 1
                                break
                            }
                            v = p
                        }
                        while depth > 0 {
                            depth -= 1
                            let u = Int(path[depth])
                            count[u] = 1 + count[Int(parent[u])]
                        }
                    }
                }
            }
        }
        return count
    }
}
