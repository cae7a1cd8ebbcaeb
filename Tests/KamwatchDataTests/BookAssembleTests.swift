import Foundation
import KamwatchVocabulary
import Synchronization
import Testing

@testable import KamwatchData

@Suite("Assembling the book")
struct BookAssembleTests {
    func load(_ files: [String: String]) throws -> (book: Book, issues: [InputIssue]) {
        let dir = try ScratchDirectory(files)
        return try Book.load(directory: dir.path)
    }

    @Test("rows are grouped by account, file order kept within an account; orphans summarised per file")
    func grouping() throws {
        let (book, issues) = try load([
            "accounts.csv": "account_id,name\nA1,One\nA2,Two\nA3,Three\n",
            "orders.csv": "order_id,account_id,date,list_amount,net_amount\n"
                + "O1,A2,2025-01-01,1,1\nO2,A1,2025-01-02,2,2\nO3,X-9,2025-01-03,3,3\nO4,A2,2025-01-04,4,4\n"
                + "O5,X-8,2025-01-05,5,5\n",
            "orders-old.csv":
                "order_id,account_id,date,list_amount,net_amount\nO0,A2,2024-01-01,0,0\nO9,Z,2024-01-01,0,0\n",
            "contacts.csv": "contact_id,account_id,since\nC1,A3,2020-01-01\nC2,A1,\n",
        ])
        #expect(book.accountCount == 3)
        #expect(book.orders.groupStarts == [0, 1, 4, 4])
        #expect(rows(book.orders).map { String($0.prefix(2)) } == ["O2", "O0", "O1", "O4"])
        #expect(book.orders.group == [0, 1, 1, 1])
        #expect(book.contacts.groupStarts == [0, 1, 1, 2])
        #expect(rows(book.contacts) == ["C2|A1|-|-|-|-|-", "C1|A3|-|-|-|2020-01-01|-"])
        #expect(
            texts(issues) == [
                "orders-old.csv: 1 row names no known account (line 3, account_id \"Z\")",
                "orders.csv: 2 rows name no known account (first: line 4, account_id \"X-9\")",
            ])
        #expect(book.accounts.groupStarts == [0, 1, 2, 3])
        #expect(book.accountIndex(of: "A2") == 1)
        #expect(book.accountIndex(of: "X-9") == nil)
    }

    @Test("grouping from chunks gives the same book as grouping concatenated columns", arguments: [97, 400, 1 << 20])
    func groupingFromChunks(chunkSize: Int) throws {
        var accounts = "account_id,name\n"
        for a in 0..<40 { accounts += "A\(a),Name \(a)\n" }
        func orders(_ from: Int, _ to: Int) -> String {
            var text = "order_id,account_id,date,list_amount,net_amount,cogs\n"
            for i in from..<to {
                let account = i % 23 == 0 ? "X\(i)" : "A\((i * 7) % 40)"
                let cogs = i % 5 == 0 ? "" : "\(i).5"
                text += "O\(i),\(account),2025-0\(1 + i % 9)-1\(i % 10),\(i),\(i - 1),\(cogs)\n"
            }
            return text
        }
        var contacts = "contact_id,account_id,name,since\n"
        for c in 0..<300 {
            contacts += "C\(c),A\((c * 13) % 41),Person \(c),\(c % 3 == 0 ? "" : "2020-01-0\(1 + c % 9)")\n"
        }
        let dir = try ScratchDirectory([
            "accounts.csv": accounts, "orders-1.csv": orders(0, 500), "orders.csv": orders(500, 900),
            "contacts.csv": contacts,
        ])
        let files: [TableName: [String]] = [
            .accounts: ["accounts.csv"], .orders: ["orders-1.csv", "orders.csv"], .contacts: ["contacts.csv"],
        ]
        let read = TableReader.read(files, in: dir.path, chunkSize: chunkSize)
        let whole = TableReader.read(files, in: dir.path, chunkSize: 1 << 30)
        // Assembling a copy (the daemon keeps its tables) and taking the tables give the same book.
        let copied = Book.assemble(read)
        var taken = TableReader.read(files, in: dir.path, chunkSize: chunkSize)
        let owned = Book.assemble(taking: &taken)
        let reference = Book.assemble(whole)
        #expect(rows(read[.orders]!) == rows(whole[.orders]!))
        for book in [copied.book, owned.book] {
            #expect(rows(book.orders) == rows(reference.book.orders))
            #expect(book.orders.group == reference.book.orders.group)
            #expect(book.orders.groupStarts == reference.book.orders.groupStarts)
            #expect(rows(book.contacts) == rows(reference.book.contacts))
            #expect(book.contacts.groupStarts == reference.book.contacts.groupStarts)
        }
        #expect(texts(copied.issues) == texts(reference.issues))
        #expect(texts(owned.issues) == texts(reference.issues))
        // Loading runs every step as a job as soon as it can: the same book, every time.
        for _ in 0..<5 {
            let loaded = try Book.load(directory: dir.path, keeping: .all, chunkSize: chunkSize)
            #expect(rows(loaded.book.orders) == rows(reference.book.orders))
            #expect(loaded.book.orders.groupStarts == reference.book.orders.groupStarts)
            #expect(rows(loaded.book.contacts) == rows(reference.book.contacts))
            #expect(rows(loaded.book.accounts) == rows(reference.book.accounts))
            #expect(loaded.book.entityIDs == reference.book.entityIDs)
            #expect(
                texts(loaded.issues) == texts(TableName.allCases.compactMap { whole[$0] }.flatMap(\.issues))
                    + texts(reference.issues))
        }
        #expect(reference.book.orders.rowCount == 900 - 900 / 23 - 1)
        // The tables read stay whole after a copying assembly.
        #expect(rows(read[.contacts]!) == rows(whole[.contacts]!))
    }

    @Test(
        "account ids looked up while decoding give the same grouping, orphans and issues",
        arguments: [97, 400], [false, true])
    func lookUpWhileDecoding(chunkSize: Int, duplicates: Bool) throws {
        var accounts = "account_id,name\n"
        for a in 0..<40 { accounts += "A\(a),Name \(a)\n" }
        var orders = "order_id,account_id,date,list_amount,net_amount\n"
        var old = orders
        for i in 0..<600 {
            let account = i % 23 == 0 ? "X\(i)" : "A\((i * 7) % 40)"
            // Repeated ids (dropped before grouping), among them the first orphan of a file.
            let id = duplicates && (i == 253 || i == 400 || i == 520) ? "O\(i - 200)" : "O\(i)"
            let line = "\(id),\(account),2025-0\(1 + i % 9)-1\(i % 10),\(i),\(i - 1)\n"
            if i < 250 { old += line } else { orders += line }
        }
        let dir = try ScratchDirectory(["accounts.csv": accounts, "orders-old.csv": old, "orders.csv": orders])
        let files: [TableName: [String]] = [.orders: ["orders-old.csv", "orders.csv"]]
        let reference = Book.assemble(
            TableReader.read(
                [.accounts: ["accounts.csv"], .orders: ["orders-old.csv", "orders.csv"]], in: dir.path,
                chunkSize: 1 << 30))
        // Account ids not kept: the text of chunks looked up while decoding goes right away.
        // Every third chunk is left to be looked up after the merge, as if decoded before linking.
        let narrow = ColumnSelection(text: [.orders: []])
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, linkedTo: reference.book, ownsTables: true, keeping: narrow)
        let chunks = Mutex((seen: 0, lookedUp: 0))
        let hooks = TableReader.ChunkHooks(
            decoded: { _, _ in }, merging: { _, _, _, _ in },
            lookUp: { table, chunk in
                let skip = chunks.withLock { c in
                    c.seen += 1
                    return c.seen % 3 == 0
                }
                if skip { return nil }
                let accounts = builder.lookUpWhileDecoding(table, chunk)
                if accounts?.textReleased == true { chunks.withLock { $0.lookedUp += 1 } }
                return accounts
            })
        TableReader.read(
            files, in: dir.path, chunkSize: chunkSize, keeping: narrow, on: pool, rank: { _ in 0 },
            mergePriority: 1 << 50, chunks: hooks
        ) { builder.add($0) }
        pool.run()
        #expect(chunks.withLock { $0.lookedUp } > 2)
        let (table, issues) = try #require(builder.grouped(.orders))
        #expect(table.groupStarts == reference.book.orders.groupStarts)
        #expect(table.group == reference.book.orders.group)
        for (slot, spec) in TableSchema.orders.columns.enumerated() where spec.kind == .number || spec.kind == .date {
            #expect(
                rows([table.columns[slot]], count: table.rowCount)
                    == rows([reference.book.orders.columns[slot]], count: reference.book.orders.rowCount))
        }
        #expect(
            texts(issues) == [
                "orders-old.csv: 11 rows name no known account (first: line 2, account_id \"X0\")",
                duplicates
                    ? "orders.csv: 15 rows name no known account (first: line 28, account_id \"X276\")"
                    : "orders.csv: 16 rows name no known account (first: line 5, account_id \"X253\")",
            ])
        #expect(texts(issues) == texts(reference.issues))
    }

    @Test("parents: accounts, non-account entities with events, and chains")
    func parents() throws {
        let (book, issues) = try load([
            "accounts.csv": "account_id,name,parent_id\nA1,One,A2\nA2,Two,G-HOLD\nA3,Three,\nA4,Four,G-OTHER\n",
            "events.csv":
                "account_id,date,type\nG-HOLD,2025-01-01,Merger\nA3,2025-02-01,acquired\nG-NEW,2025-03-01,x\n",
        ])
        #expect(issues.isEmpty)
        #expect(book.entityIDs == ["A1", "A2", "A3", "A4", "G-HOLD", "G-OTHER", "G-NEW"])
        #expect(book.entityIndex["G-HOLD"] == 4)
        #expect(book.accountIndex(of: "A4") == 3)
        #expect(book.accountIndex(of: "G-HOLD") == nil)
        #expect(book.accountIndex(of: "") == nil)
        #expect(book.parent == [1, 4, -1, 5])
        #expect(book.ancestors(of: 0) == [1, 4])
        #expect(book.ancestors(of: 2) == [])
        #expect(book.events.groupStarts == [0, 0, 0, 1, 1, 2, 2, 3])
        #expect(
            rows(book.events) == [
                "A3|2025-02-01|acquired|-|-", "G-HOLD|2025-01-01|merger|-|-", "G-NEW|2025-03-01|x|-|-",
            ])
    }

    @Test("a parent cycle is reported once; its accounts are kept; chains stop where an id repeats")
    func cycles() throws {
        let (book, issues) = try load([
            "accounts.csv": "account_id,name,Parent_ID\nB,b,C\nA,a,B\nC,c,A\nD,d,A\nS,s,S\n"
        ])
        #expect(book.accountCount == 5)
        #expect(
            texts(issues) == [
                "accounts.csv:3:Parent_ID: parent_id cycle B → C → A → B: each chain is followed until an id repeats",
                "accounts.csv:6:Parent_ID: parent_id cycle S → S: each chain is followed until an id repeats",
            ])
        #expect(book.parent == [2, 0, 1, 1, 4])
        // Members see the other members once; D, leading into the cycle, sees all three.
        #expect(book.ancestors(of: 0) == [2, 1])
        #expect(book.ancestors(of: 1) == [0, 2])
        #expect(book.ancestors(of: 2) == [1, 0])
        #expect(book.ancestors(of: 3) == [1, 0, 2])
        #expect(book.ancestors(of: 4) == [])
        #expect(book.ancestorCounts == [2, 2, 2, 3, 0])
    }

    @Test("chain lengths and cycles of random parent links match a walk that remembers every id")
    func chainLengthsMatchWalk() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let n = Int.random(in: 1...40, using: &generator)
            // Parents: none, another account (cycles likely), or an entity that is no account.
            let parent = (0..<n).map { _ -> Int32 in
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<3: -1
                case 3: Int32(n + Int.random(in: 0..<3, using: &generator))
                default: Int32.random(in: 0..<Int32(n), using: &generator)
                }
            }
            var expected: [Int32] = []
            for v in 0..<n {
                var seen: Set<Int> = [v]
                var count: Int32 = 0
                var p = Int(parent[v])
                while p >= 0 && !seen.contains(p) {
                    count += 1
                    if p >= n { break }
                    seen.insert(p)
                    p = Int(parent[p])
                }
                expected.append(count)
            }
            #expect(Book.chainLengths(parent: parent, accountCount: n) == expected, "\(parent)")
            // Every account on a cycle is in exactly one reported cycle, whose links close it.
            let cycles = Book.parentCycles(parent)
            let members = cycles.flatMap { $0 }
            #expect(Set(members).count == members.count)
            let onCycle = (0..<n).filter { isOnCycle($0, parent) }
            #expect(Set(members) == Set(onCycle), "\(parent)")
            for cycle in cycles {
                for (k, v) in cycle.enumerated() { #expect(Int(parent[v]) == cycle[(k + 1) % cycle.count]) }
            }
        }
    }

    /// Whether following `parent` from `v` comes back to `v`.
    private func isOnCycle(_ v: Int, _ parent: [Int32]) -> Bool {
        var p = Int(parent[v])
        for _ in 0..<parent.count {
            if p < 0 || p >= parent.count { return false }
            if p == v { return true }
            p = Int(parent[p])
        }
        return false
    }

    @Test("assembling from separately read tables equals loading")
    func assembleMatchesLoad() throws {
        let files = [
            "accounts.csv": "account_id,name\nA1,One\nA2,Two\n",
            "service_costs.csv": "account_id;date;amount;category\nA2;01.01.2025;1 000,5;travel\nA1;02.01.2025;-3;x\n",
        ]
        let dir = try ScratchDirectory(files)
        let scan = try DataDirectory.scan(dir.path)
        var tables: [TableName: TableData] = [:]
        for (table, names) in scan { tables[table] = TableReader.read(table, files: names, in: dir.path) }
        let (book, issues) = Book.assemble(tables)
        let (loaded, _) = try Book.load(directory: dir.path)
        #expect(issues.isEmpty)
        #expect(rows(book.serviceCosts) == rows(loaded.serviceCosts))
        #expect(rows(book.serviceCosts) == ["A1|2025-01-02|-3.0|x", "A2|2025-01-01|1000.5|travel"])
        // The caller's tables are untouched.
        #expect(tables[.serviceCosts]?.rowCount == 2)
        #expect(book.contacts.rowCount == 0)
        #expect(book.contacts.groupStarts == [0, 0, 0])
    }

    @Test("a table grouped again alone equals the book assembled again whole, with the same problems")
    func replacingMatchesAssembling() throws {
        let dir = try ScratchDirectory([
            "accounts.csv": "account_id,name,parent_id\nA1,One,\nA2,Two,A1\nA3,Three,P9\n",
            "contacts.csv": "contact_id,account_id,since\nC1,A3,2020-01-01\nC2,A1,\n",
            "orders.csv":
                "order_id,account_id,date,list_amount,net_amount\nO1,A2,2025-01-01,1,1\nO2,X,2025-01-02,2,2\n",
            "events.csv": "account_id,date,type\nP9,2025-01-01,merger\n",
        ])
        func read(_ table: TableName) throws -> TableData {
            TableReader.read(table, files: try DataDirectory.scan(dir.path)[table] ?? [], in: dir.path)
        }
        var tables: [TableName: TableData] = [:]
        for table in TableName.allCases { tables[table] = try read(table) }
        let before = Book.assemble(tables).book
        try dir.write(
            "contacts.csv", "contact_id,account_id,since\nC3,A2,2021-01-01\nC1,A3,\nC4,Z,\nC2,A1,2019-05-05\n")
        try dir.write("orders.csv", "order_id,account_id,date,list_amount,net_amount\nO3,A1,2025-02-01,3,3\n")
        tables[.contacts] = try read(.contacts)
        tables[.orders] = try read(.orders)
        let whole = Book.assembleByTable(tables)
        let (replaced, issues) = before.replacing([tables[.contacts]!, tables[.orders]!])
        for name in TableName.allCases {
            #expect(rows(replaced.table(name)) == rows(whole.book.table(name)))
            #expect(replaced.table(name).groupStarts == whole.book.table(name).groupStarts)
        }
        #expect(replaced.entityIDs == whole.book.entityIDs)
        #expect(texts(issues[.contacts] ?? []) == texts(whole.tableIssues[.contacts] ?? []))
        #expect(
            texts(issues[.contacts] ?? []) == ["contacts.csv: 1 row names no known account (line 4, account_id \"Z\")"])
        #expect(texts(issues[.orders] ?? []) == texts(whole.tableIssues[.orders] ?? []))
    }

    @Test("a row whose only cells are in text columns not kept is a row, not a blank line")
    func onlyColumnsNotKept() throws {
        let dir = try ScratchDirectory([
            "accounts.csv": "account_id,name,industry\nA1,One,Energy\n,,Retail\n, ,\" \"\n",
            "contacts.csv": "contact_id,account_id,name,role,email\nC1,A1,Ann,CEO,a@x\n,,Bob,,\n,,\"\"\"\"\n"
                + ",,\" \",,\n,,,,\n\"\",, ,,\" x \"\nC2,A1,,,\n",
        ])
        let selection = ColumnSelection(text: [.contacts: ["role"], .accounts: ["account_id", "name"]])
        let kept = try Book.load(directory: dir.path, keeping: selection)
        let full = try Book.load(directory: dir.path)
        #expect(texts(kept.issues) == texts(full.issues))
        // Bob's row, the row of a lone quote mark, the row of " x " and the accounts' `,,Retail`.
        #expect(texts(kept.issues).filter { $0.contains("missing required value") }.count == 4)
        #expect(kept.book.contacts.rowCount == full.book.contacts.rowCount)
        #expect(kept.book.contacts.rowCount == 2)
    }

    @Test("a book with only an empty accounts file")
    func emptyBook() throws {
        let (book, issues) = try load(["accounts.csv": "account_id,name\n"])
        #expect(book.accountCount == 0)
        #expect(book.orders.groupStarts == [0])
        #expect(issues.isEmpty)
    }

    @Test("text columns not kept are read and checked, but absent in the book")
    func keepingSomeColumns() throws {
        let dir = try ScratchDirectory([
            "accounts.csv": "account_id,name,industry\nA1,One,Energy\nA2,Two,Retail\n",
            "contacts.csv": "contact_id,account_id,name,role,email\nC1,A2,Ann,CEO,a@x\nC2,,Bob,CFO,b@x\n"
                + "C1,A1,Dup,CTO,c@x\nC3,Z9,Eve,COO,e@x\nC4,A1,Max,CIO,m@x\n",
        ])
        let selection = ColumnSelection(text: [.contacts: ["role"], .accounts: ["account_id", "name"]])
        let kept = try Book.load(directory: dir.path, keeping: selection)
        let full = try Book.load(directory: dir.path)
        // The same problems: a missing required cell, a duplicate id, an unknown account.
        #expect(texts(kept.issues) == texts(full.issues))
        #expect(texts(kept.issues).count == 3)
        let contacts = kept.book.contacts
        #expect(contacts.groupStarts == full.book.contacts.groupStarts)
        func cells(_ table: Table, _ name: String) -> [String?] {
            let column = table.column(named: name)!.textColumn!
            return (0..<column.count).map { column[$0] }
        }
        #expect(cells(contacts, "role") == ["CIO", "CEO"])
        #expect(cells(contacts, "name") == [nil, nil])
        #expect(cells(contacts, "contact_id") == [nil, nil])
        #expect(cells(full.book.contacts, "name") == ["Max", "Ann"])
        #expect(cells(kept.book.accounts, "industry") == [nil, nil])
        #expect(cells(kept.book.accounts, "name") == ["One", "Two"])
        #expect(kept.book.accountIndex(of: "A2") == 1)
    }

    @Test("rows find their accounts whether the accounts are sorted by id or not", arguments: [true, false])
    func lookupsOverSortedAndUnsortedAccounts(sortedAccounts: Bool) throws {
        // 300 accounts with zero-padded (sorted) or shuffled ids; orders name them in runs
        // sorted by id with gaps of every size, then in a scattered order, plus unknown ids
        // that fall between, before and after the real ones.
        var ids = (0..<300).map { String(format: "K%05d", $0 * 3) }
        if !sortedAccounts {
            ids = ids.enumerated().sorted { ($0.offset * 7919) % 300 < ($1.offset * 7919) % 300 }.map(\.element)
        }
        var accounts = "account_id,name\n"
        for id in ids { accounts += "\(id),Name \(id)\n" }
        var wanted: [String] = []
        var k = 0
        var step = 1
        while k < 900 {
            wanted.append(String(format: "K%05d", k))
            k += step
            step = step % 97 + 1
        }
        wanted += (0..<200).map { String(format: "K%05d", ($0 * 7321) % 910) } + ["J", "K", "K99999", "L"]
        var orders = "order_id,account_id,date,list_amount,net_amount\n"
        for (i, id) in wanted.enumerated() { orders += "O\(i),\(id),2025-01-01,1,1\n" }
        let dir = try ScratchDirectory(["accounts.csv": accounts, "orders.csv": orders])
        let (book, _) = try Book.load(directory: dir.path)
        let known = Set(ids)
        // Each account's orders are the wanted rows naming it, in file order.
        let idColumn = book.orders.column(named: "order_id")!.textColumn!
        for a in 0..<book.accountCount {
            let got = book.orders.rows(ofGroup: a).map { idColumn[$0]! }
            let expected = wanted.enumerated().filter { $0.element == book.entityIDs[a] }.map { "O\($0.offset)" }
            #expect(got == expected, "account \(book.entityIDs[a])")
        }
        #expect(book.orders.rowCount == wanted.filter { known.contains($0) }.count)
    }
}
