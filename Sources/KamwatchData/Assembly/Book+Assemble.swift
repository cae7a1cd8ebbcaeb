import KamwatchVocabulary

extension Book {
    /// Builds a `Book` from tables read by `TableReader`; a missing table is empty.
    ///
    /// Returns the problems found while linking the tables (parent cycles, rows naming no
    /// known account); the tables' own issues stay in each `TableData`. The tables are left
    /// as they are: their chunks are copied, not taken.
    ///
    /// Text columns `selection` does not keep are left out of the book (all cells absent).
    public static func assemble(
        _ tables: [TableName: TableData], keeping selection: ColumnSelection = .all
    ) -> (book: Book, issues: [InputIssue]) {
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, ownsTables: false, keeping: selection)
        for table in TableName.allCases { builder.add(tables[table] ?? .empty(table)) }
        pool.run()
        return builder.book()
    }

    /// Like `assemble(_:keeping:)`, with the problems of linking the accounts (cycles, deep
    /// chains) apart from those of each table grouped by account, for `replacing(_:keeping:)`
    /// to replace a table's problems with its table.
    public static func assembleByTable(
        _ tables: [TableName: TableData], keeping selection: ColumnSelection = .all
    ) -> (book: Book, linkIssues: [InputIssue], tableIssues: [TableName: [InputIssue]]) {
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, ownsTables: false, keeping: selection)
        for table in TableName.allCases { builder.add(tables[table] ?? .empty(table)) }
        pool.run()
        return builder.bookByTable()
    }

    /// Like `assembleByTable(_:keeping:)`, but takes the tables (left empty): their chunks are
    /// copied from and freed as the book is built, so that big columns are not held twice.
    public static func assembleByTable(
        taking tables: inout [TableName: TableData], keeping selection: ColumnSelection = .all
    ) -> (book: Book, linkIssues: [InputIssue], tableIssues: [TableName: [InputIssue]]) {
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, ownsTables: true, keeping: selection)
        for table in TableName.allCases { builder.add(tables.removeValue(forKey: table) ?? .empty(table)) }
        pool.run()
        return builder.bookByTable()
    }

    /// Like `assemble(_:)`, but takes the tables (left empty): their chunks are copied from
    /// and freed as the book is built, so that big columns are not held twice.
    static func assemble(taking tables: inout [TableName: TableData]) -> (book: Book, issues: [InputIssue]) {
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, ownsTables: true)
        for table in TableName.allCases { builder.add(tables.removeValue(forKey: table) ?? .empty(table)) }
        pool.run()
        return builder.book()
    }

    /// Reports, at the account where it is cut, each parent chain deeper than `maxAncestorDepth`.
    static func reportDeepChains(_ parent: [Int32], accounts: TableData, ids: TextColumn) -> [InputIssue] {
        let lengths = chainLengths(parent: parent, accountCount: parent.count)
        let slot = TableSchema.accounts.index(of: "parent_id")!
        var issues: [InputIssue] = []
        for (row, length) in lengths.enumerated() where length == maxAncestorDepth + 1 {
            let source = accounts.source(ofRow: row)
            let label = accounts.files.first { $0.name == source.file }?.header?.slotLabel[slot] ?? "parent_id"
            issues.append(
                InputIssue(
                    file: source.file, line: source.line, column: label,
                    reason:
                        "parent_id chain of \(ids[row] ?? "") is deeper than \(maxAncestorDepth) levels: ancestors above the \(maxAncestorDepth)th are not followed"
                ))
        }
        return issues
    }

    /// Follows each parent chain until an id repeats and reports each cycle once, at the member
    /// whose parent is the cycle's first account in file order. The links stay: every chain
    /// is followed only until an id repeats (`Book.ancestorCounts`).
    static func reportCycles(_ parent: [Int32], accounts: TableData, ids: TextColumn) -> [InputIssue] {
        var issues: [InputIssue] = []
        for members in parentCycles(parent) {
            let first = members.firstIndex(of: members.min()!)!
            let cycle = Array(members[first...] + members[..<first])
            let last = cycle.last!
            let names = (cycle + [cycle[0]]).map { ids[$0] ?? "" }.joined(separator: " → ")
            let source = accounts.source(ofRow: last)
            let slot = TableSchema.accounts.index(of: "parent_id")!
            let label = accounts.files.first { $0.name == source.file }?.header?.slotLabel[slot] ?? "parent_id"
            issues.append(
                InputIssue(
                    file: source.file, line: source.line, column: label,
                    reason: "parent_id cycle \(names): each chain is followed until an id repeats"))
        }
        return issues
    }

    /// The cycles of `parent` among the accounts, each once: its members from the one where a
    /// chain (walked from the accounts in order) first meets it, in the order found.
    static func parentCycles(_ parent: [Int32]) -> [[Int]] {
        let n = parent.count
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 on the current path, 2 done
        // The current path in a plain buffer: a million accounts are walked on one core.
        let path = UnsafeMutablePointer<Int32>.allocate(capacity: max(n, 1))
        defer { path.deallocate() }
        var cycles: [[Int]] = []
        parent.withUnsafeBufferPointer { parent in
            state.withUnsafeMutableBufferPointer { state in
                for s in 0..<n where state[s] == 0 {
                    var depth = 0
                    var v = s
                    while v < n && state[v] == 0 {
                        state[v] = 1
                        path[depth] = Int32(v)
                        depth += 1
                        let p = Int(parent[v])
                        if p < 0 { break }
                        v = p
                    }
                    if v < n && state[v] == 1 && parent[Int(path[depth - 1])] == Int32(v) {
                        // `v` is on the path once: the cycle runs from there to the end.
                        var from = depth - 1
                        while path[from] != Int32(v) { from -= 1 }
                        cycles.append((from..<depth).map { Int(path[$0]) })
                    }
                    for j in 0..<depth { state[Int(path[j])] = 2 }
                }
            }
        }
        return cycles
    }
}

/// Maps account ids (and other ids that events and parents name) to entity indexes.
final class EntityLinker: @unchecked Sendable {
    // Unchecked Sendable: only the link job, then the events job, add extras; other jobs read `index` only,
    // and `releaseIndex` replaces it once they all are done with it.
    private(set) var index: AccountIndex
    let accountCount: Int
    /// Whether the account ids ascend (`AccountIndex.sorted`), kept once the index is let go.
    let sorted: Bool
    /// Ids named by events or parents that are not accounts, in order of first mention.
    private(set) var extras: [String] = []
    private var extraIndex: [String: Int32] = [:]

    init(index: AccountIndex) {
        self.index = index
        accountCount = index.ids.count
        sorted = index.sorted
    }

    /// Lets go of the index's hash table once no one looks ids up any more (jobs that took a
    /// copy of `index` keep theirs).
    func releaseIndex() {
        index = AccountIndex(ids: TextColumn())
    }

    /// The entity index of an id; a new extra entity when it is no account (only while
    /// single-threaded: parents and events are linked before the parallel part).
    func entity(_ p: UnsafePointer<UInt8>, _ n: Int, addingExtra: Bool) -> Int32 {
        let a = index.find(p, n)
        if a >= 0 { return a }
        let id = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        if let e = extraIndex[id] { return e }
        let e = Int32(accountCount + extras.count)
        extras.append(id)
        extraIndex[id] = e
        return e
    }
}

extension Book {
    /// The tables grouped by account that can be put into a book on their own, without
    /// assembling it again: a new contacts, orders or service costs table changes no account index.
    public static let regroupable: Set<TableName> = Set(BookBuilder.byAccount)

    /// The book with the tables `tables` (each one of `regroupable`) put in place of its own,
    /// grouped by the book's accounts; the other tables are kept as they are. Returns the
    /// problems found linking each new table (rows naming no known account), as
    /// `assemble(_:keeping:)` reports them for that table. The tables are left as they are.
    public func replacing(
        _ tables: [TableData], keeping selection: ColumnSelection = .all
    ) -> (book: Book, issues: [TableName: [InputIssue]]) {
        var tables = tables
        return replacing(&tables, keeping: selection, owned: false)
    }

    /// Like `replacing(_:keeping:)`, but takes the tables (left empty): their chunks are
    /// copied from and freed as they are grouped, so that big columns are not held twice.
    public func replacing(
        taking tables: inout [TableData], keeping selection: ColumnSelection = .all
    ) -> (book: Book, issues: [TableName: [InputIssue]]) {
        replacing(&tables, keeping: selection, owned: true)
    }

    private func replacing(
        _ tables: inout [TableData], keeping selection: ColumnSelection, owned: Bool
    ) -> (book: Book, issues: [TableName: [InputIssue]]) {
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, linkedTo: self, ownsTables: owned, keeping: selection)
        let names = tables.map(\.table)
        for name in names {
            precondition(Book.regroupable.contains(name), "\(name) changes the accounts' index")
        }
        // Handed over one by one, so that the builder holds the only copy of each.
        while let data = tables.popLast() { builder.add(data) }
        pool.run()
        var book = self
        var issues: [TableName: [InputIssue]] = [:]
        for name in names {
            let (table, found) = builder.grouped(name)!
            issues[name] = found
            switch name {
            case .contacts: book.contacts = table
            case .orders: book.orders = table
            default: book.serviceCosts = table
            }
        }
        return (book, issues)
    }
}
