import Dispatch

extension Book {
    /// Builds a `Book` from tables read by `TableReader`; a missing table is empty.
    ///
    /// Returns the problems found while linking the tables (rows naming no known account,
    /// parent cycles); the tables' own issues stay in each `TableData`.
    public static func assemble(_ tables: [TableName: TableData]) -> (book: Book, issues: [DataIssue]) {
        var owned = tables
        return assemble(taking: &owned)
    }

    /// Like `assemble(_:)`, but empties `tables` as it goes so that big columns are not held twice.
    static func assemble(taking tables: inout [TableName: TableData]) -> (book: Book, issues: [DataIssue]) {
        var issues: [DataIssue] = []
        let accounts = tables.removeValue(forKey: .accounts) ?? .empty(.accounts)
        let n = accounts.rowCount
        let schema = TableSchema.accounts
        guard case .text(let ids) = accounts.columns[schema.index(of: "account_id")!],
            case .text(let parentIDs) = accounts.columns[schema.index(of: "parent_id")!]
        else { preconditionFailure("accounts schema") }
        let linker = EntityLinker(index: AccountIndex(ids: ids))

        // Parents: accounts, or other entities that end the chain.
        var parent = Array(repeating: Int32(-1), count: n)
        parentIDs.bytes.withUnsafeBufferPointer { bytes in
            parentIDs.ends.withUnsafeBufferPointer { ends in
                for row in 0..<n {
                    let start = ends.rangeStart(row)
                    let count = ends.rangeCount(row)
                    if count == 0 { continue }
                    parent[row] = linker.entity(bytes.baseAddress! + start, count, addingExtra: true)
                }
            }
        }
        issues.append(contentsOf: reportCycles(parent, accounts: accounts, ids: ids))

        // Events are kept by the id they name, account or not.
        var events = tables.removeValue(forKey: .events) ?? .empty(.events)
        var eventGroups: [Int32] = []
        if case .text(let names) = events.columns[TableSchema.events.index(of: "account_id")!] {
            eventGroups.reserveCapacity(events.rowCount)
            names.bytes.withUnsafeBufferPointer { bytes in
                names.ends.withUnsafeBufferPointer { ends in
                    for row in 0..<events.rowCount {
                        eventGroups.append(
                            linker.entity(
                                bytes.baseAddress! + ends.rangeStart(row), ends.rangeCount(row), addingExtra: true))
                    }
                }
            }
        }
        let entityCount = n + linker.extras.count
        let eventTable = Grouper.group(&events, groups: &eventGroups, groupCount: entityCount).table

        var byAccount = [TableName.orders, .contacts, .serviceCosts].map { tables.removeValue(forKey: $0) ?? .empty($0) }
        let grouped = Grouper.groupByAccount(&byAccount, linker: linker, accountCount: n)
        let (orders, contacts, costs) = (grouped[0], grouped[1], grouped[2])
        issues.append(contentsOf: contacts.issues)
        issues.append(contentsOf: orders.issues)
        issues.append(contentsOf: costs.issues)

        let accountTable = Table(
            schema: schema, columns: accounts.columns, groupStarts: (0...Int32(n)).map { $0 })
        let book = Book(
            accounts: accountTable, contacts: contacts.table, orders: orders.table, serviceCosts: costs.table,
            events: eventTable, accountIDs: ids, extraIDs: linker.extras, parent: parent)
        return (book, issues)
    }

    /// Follows each parent chain until an id repeats and reports each cycle once, at the member
    /// whose parent is the cycle's first account in file order. The links stay: every chain
    /// is followed only until an id repeats (`Book.ancestorCounts`).
    static func reportCycles(_ parent: [Int32], accounts: TableData, ids: TextColumn) -> [DataIssue] {
        let n = parent.count
        var state = [UInt8](repeating: 0, count: n)  // 0 new, 1 on the current path, 2 done
        var issues: [DataIssue] = []
        var path: [Int] = []
        for s in 0..<n where state[s] == 0 {
            path.removeAll(keepingCapacity: true)
            var v = s
            while v < n && state[v] == 0 {
                state[v] = 1
                path.append(v)
                let p = Int(parent[v])
                if p < 0 { break }
                v = p
            }
            if v < n && state[v] == 1 && parent[path.last!] == Int32(v) {
                let members = Array(path[path.firstIndex(of: v)!...])
                let first = members.firstIndex(of: members.min()!)!
                let cycle = Array(members[first...] + members[..<first])
                let last = cycle.last!
                let names = (cycle + [cycle[0]]).map { ids[$0] ?? "" }.joined(separator: " → ")
                let source = accounts.source(ofRow: last)
                let slot = TableSchema.accounts.index(of: "parent_id")!
                let label = accounts.files.first { $0.name == source.file }?.header?.slotLabel[slot] ?? "parent_id"
                issues.append(
                    DataIssue(
                        file: source.file, line: source.line, column: label,
                        reason: "parent_id cycle \(names): each chain is followed until an id repeats"))
            }
            for u in path { state[u] = 2 }
        }
        return issues
    }
}

/// Maps account ids (and other ids that events and parents name) to entity indexes.
final class EntityLinker: @unchecked Sendable {
    let index: AccountIndex
    var accountCount: Int { index.ids.count }
    /// Ids named by events or parents that are not accounts, in order of first mention.
    private(set) var extras: [String] = []
    private var extraIndex: [String: Int32] = [:]

    init(index: AccountIndex) {
        self.index = index
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
