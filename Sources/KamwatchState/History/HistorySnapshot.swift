import Foundation
import KamwatchData
import KamwatchVocabulary

/// What one day's exports say that the history remembers: the contacts seen and each
/// account's parent.
///
/// Kept flat, not as `String`s in dictionaries: the ids of each part sorted in byte order in
/// one byte arena (`SortedIDs`), a contact's account as an index into the account ids, its
/// `since` as an index into the distinct days. A snapshot of a few million contacts takes tens
/// of MB, and two snapshots are compared in one pass, in key order.
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
    public var contacts: Contacts
    /// Parents by account id, for every account.
    public var parents: Parents

    public init(contacts: Contacts, parents: Parents) {
        self.contacts = contacts
        self.parents = parents
    }

    public init(contacts: [String: Contact], parents: [String: Parent]) {
        self.init(contacts: Contacts(contacts), parents: Parents(parents))
    }

    /// The snapshot a book gives: its contacts (those of valid accounts) and every account's
    /// parent. The book must keep the columns `ColumnSelection.keepingHistory` names.
    public init(book: Book) {
        self.init(contacts: Contacts(book: book), parents: Parents(book: book))
    }

    /// The snapshot of `book` with the parents of `previous`, for a book whose accounts did not change.
    public init(book: Book, parentsOf previous: HistorySnapshot) {
        self.init(contacts: Contacts(book: book), parents: previous.parents)
    }
}

extension HistorySnapshot {
    /// The contacts, sorted by id in byte order; one entry per id.
    public struct Contacts: Sendable, Equatable, Sequence {
        let ids: SortedIDs
        /// The account of each contact: a row of `accountIDs`.
        let account: [Int32]
        /// Account ids (for a book's snapshot, the book's own column; rows never absent here).
        let accountIDs: TextColumn
        /// The `since` of each contact: an index into `days`, or -1.
        let since: [Int32]
        let days: [String]

        public var count: Int { ids.count }
        public var isEmpty: Bool { ids.count == 0 }

        /// The contact `id`, if the snapshot has it.
        public subscript(id: String) -> Contact? {
            ids.find(id).map(contact(at:))
        }

        /// The contact ids, in byte order.
        public var keys: some Sequence<String> { (0..<count).lazy.map { ids.string($0) } }

        func contact(at i: Int) -> Contact {
            Contact(accountID: accountID(at: i), since: sinceDay(at: i))
        }

        func accountID(at i: Int) -> String {
            let r = accountIDs.range(Int(account[i]))
            return String(decoding: accountIDs.bytes[r], as: UTF8.self)
        }

        func sinceDay(at i: Int) -> String? { since[i] < 0 ? nil : days[Int(since[i])] }

        public func makeIterator() -> some IteratorProtocol<(key: String, value: Contact)> {
            (0..<count).lazy.map { (key: ids.string($0), value: contact(at: $0)) }.makeIterator()
        }

        /// Calls `body` with each contact's id and account id as bytes and its `since`, in byte order.
        public func forEachBytes(
            _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, String?) throws -> Void
        ) rethrows {
            try ids.bytes.withUnsafeBufferPointer { idBytes in
                try accountIDs.bytes.withUnsafeBufferPointer { accountBytes in
                    for i in 0..<count {
                        let a = accountIDs.range(Int(account[i]))
                        try body(
                            UnsafeBufferPointer(rebasing: idBytes[ids.range(i)]),
                            UnsafeBufferPointer(rebasing: accountBytes[a]), sinceDay(at: i))
                    }
                }
            }
        }

        /// Whether entry `i` of these contacts and entry `j` of `other` say the same.
        func sameEntry(_ i: Int, _ other: Contacts, _ j: Int) -> Bool {
            sinceDay(at: i) == other.sinceDay(at: j)
                && accountIDs.bytes[accountIDs.range(Int(account[i]))].elementsEqual(
                    other.accountIDs.bytes[other.accountIDs.range(Int(other.account[j]))])
        }

        /// The ids whose entry differs between these contacts and `other` (in either only, or
        /// in both with another account or `since`), in byte order: one pass over both.
        public func changedIDs(from other: Contacts) -> [String] {
            ids.changed(from: other.ids) { i, j in sameEntry(i, other, j) }
        }

        public static func == (a: Contacts, b: Contacts) -> Bool {
            a.count == b.count && a.changedIDs(from: b).isEmpty
        }

        init(_ contacts: [String: Contact]) {
            var idColumn = TextColumn()
            var accountIDs = TextColumn()
            var accountRow: [String: Int32] = [:]
            var dayIndex: [String: Int32] = [:]
            var days: [String] = []
            var account: [Int32] = []
            var since: [Int32] = []
            for (id, c) in contacts {
                idColumn.append(id.utf8)
                if let row = accountRow[c.accountID] {
                    account.append(row)
                } else {
                    accountRow[c.accountID] = Int32(accountIDs.count)
                    account.append(Int32(accountIDs.count))
                    accountIDs.append(c.accountID.utf8)
                }
                if let day = c.since {
                    if dayIndex[day] == nil {
                        dayIndex[day] = Int32(days.count)
                        days.append(day)
                    }
                    since.append(dayIndex[day]!)
                } else {
                    since.append(-1)
                }
            }
            let order = SortedIDs.order(idColumn, rows: 0..<Int32(idColumn.count))
            self.ids = SortedIDs(idColumn, rows: order)
            self.account = order.map { account[Int($0)] }
            self.accountIDs = accountIDs
            self.since = order.map { since[Int($0)] }
            self.days = days
        }

        /// The contacts of valid accounts (the last row of an id seen twice).
        init(book: Book) {
            let accountIDs = book.accounts.column(named: "account_id")?.textColumn ?? TextColumn()
            let table = book.contacts
            let contactIDs = table.column(named: "contact_id")?.textColumn ?? TextColumn()
            var sinceColumn: [Int32] = []
            if case .date(let v) = table.column(named: "since") { sinceColumn = v }
            // The rows that count, in the order a dictionary would have taken them.
            var rows: [Int32] = []
            var accountOf: [Int32] = []
            rows.reserveCapacity(table.rowCount)
            accountOf.reserveCapacity(table.rowCount)
            if contactIDs.count == table.rowCount {
                for a in 0..<Swift.min(book.accountCount, accountIDs.count) where accountIDs.isPresent(a) {
                    for r in table.rows(ofGroup: a) where contactIDs.isPresent(r) {
                        rows.append(Int32(r))
                        accountOf.append(Int32(a))
                    }
                }
            }
            let order = SortedIDs.order(contactIDs, rows: 0..<Int32(rows.count), through: rows)
            self.ids = SortedIDs(contactIDs, rows: order.map { rows[Int($0)] })
            self.account = order.map { accountOf[Int($0)] }
            self.accountIDs = accountIDs
            // Many contacts share a `since`: each day is spelled once.
            var dayIndex: [Int32: Int32] = [:]
            var days: [String] = []
            var since: [Int32] = []
            since.reserveCapacity(order.count)
            for k in order {
                let r = Int(rows[Int(k)])
                guard r < sinceColumn.count, sinceColumn[r] != Column.absentDate else {
                    since.append(-1)
                    continue
                }
                let ordinal = sinceColumn[r]
                if let i = dayIndex[ordinal] {
                    since.append(i)
                } else {
                    dayIndex[ordinal] = Int32(days.count)
                    since.append(Int32(days.count))
                    days.append(Day(ordinal: ordinal).description)
                }
            }
            self.since = since
            self.days = days
        }
    }

    /// Each account's parent, sorted by account id in byte order.
    public struct Parents: Sendable, Equatable, Sequence {
        let ids: SortedIDs
        /// Parent ids and names of each account (empty when absent, see `present`).
        let parentIDs: TextColumn
        let parentNames: TextColumn
        /// Bit 0: the account has a parent id; bit 1: a parent name.
        let present: [UInt8]

        public var count: Int { ids.count }
        public var isEmpty: Bool { ids.count == 0 }

        /// The parent of account `id`, if the snapshot has the account.
        public subscript(id: String) -> Parent? {
            ids.find(id).map(parent(at:))
        }

        /// The account ids, in byte order.
        public var keys: some Sequence<String> { (0..<count).lazy.map { ids.string($0) } }

        func parent(at i: Int) -> Parent {
            Parent(
                parentID: present[i] & 1 == 0
                    ? nil : String(decoding: parentIDs.bytes[parentIDs.range(i)], as: UTF8.self),
                parentName: present[i] & 2 == 0
                    ? nil : String(decoding: parentNames.bytes[parentNames.range(i)], as: UTF8.self))
        }

        public func makeIterator() -> some IteratorProtocol<(key: String, value: Parent)> {
            (0..<count).lazy.map { (key: ids.string($0), value: parent(at: $0)) }.makeIterator()
        }

        /// Calls `body` with each account's id as bytes and its parent, in byte order.
        public func forEach(_ body: (UnsafeBufferPointer<UInt8>, Parent) throws -> Void) rethrows {
            try ids.bytes.withUnsafeBufferPointer { idBytes in
                for i in 0..<count { try body(UnsafeBufferPointer(rebasing: idBytes[ids.range(i)]), parent(at: i)) }
            }
        }

        func sameEntry(_ i: Int, _ other: Parents, _ j: Int) -> Bool {
            present[i] == other.present[j]
                && parentIDs.bytes[parentIDs.range(i)].elementsEqual(other.parentIDs.bytes[other.parentIDs.range(j)])
                && parentNames.bytes[parentNames.range(i)].elementsEqual(
                    other.parentNames.bytes[other.parentNames.range(j)])
        }

        /// The account ids whose entry differs between these parents and `other`, in byte order.
        public func changedIDs(from other: Parents) -> [String] {
            ids.changed(from: other.ids) { i, j in sameEntry(i, other, j) }
        }

        public static func == (a: Parents, b: Parents) -> Bool {
            a.count == b.count && a.changedIDs(from: b).isEmpty
        }

        init(_ parents: [String: Parent]) {
            var idColumn = TextColumn()
            var list: [Parent] = []
            for (id, p) in parents {
                idColumn.append(id.utf8)
                list.append(p)
            }
            let order = SortedIDs.order(idColumn, rows: 0..<Int32(idColumn.count))
            self.init(ids: SortedIDs(idColumn, rows: order), parents: order.map { list[Int($0)] })
        }

        private init(ids: SortedIDs, parents: [Parent]) {
            var parentIDs = TextColumn()
            var parentNames = TextColumn()
            var present: [UInt8] = []
            for p in parents {
                parentIDs.append((p.parentID ?? "").utf8)
                parentNames.append((p.parentName ?? "").utf8)
                present.append((p.parentID == nil ? 0 : 1) | (p.parentName == nil ? 0 : 2))
            }
            self.ids = ids
            self.parentIDs = parentIDs
            self.parentNames = parentNames
            self.present = present
        }

        /// Every account's parent: its id, and its name when it is an account (else its id).
        init(book: Book) {
            let accounts = book.accounts
            let ids = accounts.column(named: "account_id")?.textColumn ?? TextColumn()
            let names = accounts.column(named: "name")?.textColumn
            let parentColumn = accounts.column(named: "parent_id")?.textColumn
            var rows: [Int32] = []
            rows.reserveCapacity(book.accountCount)
            for a in 0..<Swift.min(book.accountCount, ids.count) where ids.isPresent(a) { rows.append(Int32(a)) }
            let order = SortedIDs.order(ids, rows: rows)
            var parentIDs = TextColumn()
            var parentNames = TextColumn()
            var present: [UInt8] = []
            parentIDs.ends.reserveCapacity(order.count)
            parentNames.ends.reserveCapacity(order.count)
            present.reserveCapacity(order.count)
            for a in order {
                guard let parentColumn, Int(a) < parentColumn.count, parentColumn.isPresent(Int(a)) else {
                    parentIDs.appendAbsent()
                    parentNames.appendAbsent()
                    present.append(0)
                    continue
                }
                let parent = parentColumn.bytes[parentColumn.range(Int(a))]
                parentIDs.append(parent)
                // The parent's name when it is an account with one, else its id.
                if let p = book.accountIndex(of: String(decoding: parent, as: UTF8.self)), let names,
                    p < names.count, names.isPresent(p)
                {
                    parentNames.append(names.bytes[names.range(p)])
                } else {
                    parentNames.append(parent)
                }
                present.append(3)
            }
            self.ids = SortedIDs(ids, rows: order)
            self.parentIDs = parentIDs
            self.parentNames = parentNames
            self.present = present
        }
    }
}

/// Distinct ids sorted in byte order (SQLite's BINARY collation): rows of a text column, the
/// column itself shared, not copied (a book's snapshot keeps the book's own id column: for a
/// few million contacts, tens of MB the daemon would otherwise hold twice).
struct SortedIDs: Sendable {
    /// The column holding the ids, and the row of each id in byte order.
    let column: TextColumn
    let rows: [Int32]

    var count: Int { rows.count }

    /// The bytes `range(_:)` indexes.
    var bytes: [UInt8] { column.bytes }

    func range(_ i: Int) -> Range<Int> { column.range(Int(rows[i])) }

    func string(_ i: Int) -> String { String(decoding: bytes[range(i)], as: UTF8.self) }

    /// The rows `rows` of `column` (in that order), already sorted and distinct (`order`).
    init(_ column: TextColumn, rows: [Int32]) {
        self.column = column
        self.rows = rows
    }

    /// The index of `id`, if present: a binary search.
    func find(_ id: String) -> Int? {
        var id = id
        return id.withUTF8 { key in
            bytes.withUnsafeBufferPointer { b in
                var lo = 0
                var hi = count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let r = range(mid)
                    let c = Self.compare(UnsafeBufferPointer(rebasing: b[r]), key)
                    if c == 0 { return mid }
                    if c < 0 { lo = mid + 1 } else { hi = mid }
                }
                return nil
            }
        }
    }

    /// The ids in only one of `self` and `other`, or in both with `same(i, j)` false, in byte
    /// order: one merge of the two sorted lists.
    func changed(from other: SortedIDs, same: (Int, Int) -> Bool) -> [String] {
        var out: [String] = []
        bytes.withUnsafeBufferPointer { a in
            other.bytes.withUnsafeBufferPointer { b in
                var i = 0
                var j = 0
                while i < count || j < other.count {
                    let c: Int
                    if i == count {
                        c = 1
                    } else if j == other.count {
                        c = -1
                    } else {
                        c = Self.compare(
                            UnsafeBufferPointer(rebasing: a[range(i)]), UnsafeBufferPointer(rebasing: b[other.range(j)])
                        )
                    }
                    if c < 0 {
                        out.append(string(i))
                        i += 1
                    } else if c > 0 {
                        out.append(other.string(j))
                        j += 1
                    } else {
                        if !same(i, j) { out.append(string(i)) }
                        i += 1
                        j += 1
                    }
                }
            }
        }
        return out
    }

    /// The order of `rows` (indexes into `keyRows` when given, else rows of `column`) by their
    /// cell's bytes, each distinct cell once: the last of the rows holding it.
    static func order(
        _ column: TextColumn, rows: some Collection<Int32>, through keyRows: [Int32]? = nil
    ) -> [Int32] {
        let n = rows.count
        if n == 0 { return [] }
        return column.bytes.withUnsafeBufferPointer { b -> [Int32] in
            column.ends.withUnsafeBufferPointer { ends -> [Int32] in
                let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                func cell(_ k: Int32) -> (UnsafePointer<UInt8>, Int) {
                    let r = Int(keyRows.map { $0[Int(k)] } ?? k)
                    let start = r == 0 ? 0 : Int(ends[r - 1])
                    return (base + start, Int(ends[r]) - start)
                }
                // Sorted by the first 8 bytes (big-endian) first: most comparisons stop there.
                var keyed: [(prefix: UInt64, k: Int32)] = []
                keyed.reserveCapacity(n)
                for k in rows {
                    let (p, len) = cell(k)
                    var prefix: UInt64 = 0
                    for i in 0..<8 { prefix = prefix << 8 | UInt64(i < len ? p[i] : 0) }
                    keyed.append((prefix, k))
                }
                keyed.sort { x, y in
                    if x.prefix != y.prefix { return x.prefix < y.prefix }
                    let (p, pn) = cell(x.k)
                    let (q, qn) = cell(y.k)
                    let c = compare(p, pn, q, qn)
                    return c != 0 ? c < 0 : x.k < y.k
                }
                // Of equal cells, the last row given wins (as a dictionary's last assignment).
                var out: [Int32] = []
                out.reserveCapacity(n)
                for (i, e) in keyed.enumerated() {
                    if i + 1 < n, keyed[i + 1].prefix == e.prefix {
                        let (p, pn) = cell(e.k)
                        let (q, qn) = cell(keyed[i + 1].k)
                        if compare(p, pn, q, qn) == 0 { continue }
                    }
                    out.append(e.k)
                }
                return out
            }
        }
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        compare(
            a.baseAddress ?? UnsafePointer(bitPattern: 1)!, a.count, b.baseAddress ?? UnsafePointer(bitPattern: 1)!,
            b.count)
    }

    /// Negative, zero or positive as `a` sorts before, with or after `b` (byte order, a prefix first).
    static func compare(_ a: UnsafePointer<UInt8>, _ an: Int, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Int {
        let c = memcmp(a, b, min(an, bn))
        return c != 0 ? Int(c) : an - bn
    }
}

extension ColumnSelection {
    /// This selection with the text columns a history snapshot reads.
    public var keepingHistory: ColumnSelection {
        adding(["contact_id"], of: .contacts).adding(["account_id", "name", "parent_id"], of: .accounts)
    }
}
