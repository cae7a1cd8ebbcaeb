import KamwatchVocabulary
import Synchronization

/// Puts a `Book` together from its tables as each becomes ready, on every core.
///
/// The steps, each a `JobPool` job, start as soon as their inputs exist:
/// - accounts merged → link: the account index, parents, cycles;
/// - link done and events merged → events grouped by entity;
/// - link done and orders / contacts / service costs merged → their account ids looked up,
///   one job per chunk → the table's row order planned → each column copied into that order,
///   one job per column.
///
/// A table arrives either merged by a `TableReader` job (`Book.load`) or as given
/// (`Book.assemble`). Only the sole owner of a table's chunks copies straight from them.
final class BookBuilder: @unchecked Sendable {
    // Unchecked Sendable: progress is in `state`; each other `var` is set by one job before its readers run.
    /// Tables grouped by account, in the order their issues are reported.
    static let byAccount: [TableName] = [.contacts, .orders, .serviceCosts]

    /// Job priorities: every step after decoding goes before the remaining decoding, and the
    /// steps that unlock the most work go first.
    enum Priority {
        static let copy = 1 << 50
        static let plan = copy + 1000
        static let lookUp = copy + 2000
        static let events = copy + 3000
        static let merge = copy + 4000
        static let link = copy + 5000

        /// Decoding order of tables (higher first): accounts unlock linking, then the one-job
        /// files and the table with the longest way to go after decoding.
        static func decodeRank(_ table: TableName) -> Int {
            switch table {
            case .accounts: 5
            case .serviceCosts: 4
            case .orders: 3
            case .contacts: 2
            case .events: 1
            }
        }
    }

    private let pool: JobPool
    /// Whether the tables handed over belong to the builder alone, so that their chunks can
    /// be copied from and freed (false when the caller keeps them, as the daemon does).
    private let ownsTables: Bool
    /// Text columns not kept are left out of the book's tables (all cells absent).
    private let selection: ColumnSelection
    private let state = Mutex(State())
    /// While the builder owns the tables, the chunk buffers freed as columns are copied into
    /// group order are kept for the columns still to copy (`ColumnMemory.hold`), until the book is made.
    private let memoryHold: MemoryHold?

    private struct State: Sendable {
        var merged: [TableName: TableData] = [:]
        var linked = false
        var eventsStarted = false
        var groupingStarted: Set<TableName> = []
        /// The events and each table grouped by account, until they no longer need the
        /// linker's index (the lookups of a table hold their own copy).
        var indexUsersLeft = 1 + BookBuilder.byAccount.count
    }

    /// One user of the linker's index is done with it; the last lets the hash table go.
    private func doneWithIndex() {
        let last = state.withLock { s in
            s.indexUsersLeft -= 1
            return s.indexUsersLeft == 0
        }
        if last { linker!.releaseIndex() }
    }

    // Written by the link job, read by the jobs it enables.
    private var accounts = TableData.empty(.accounts)
    private var accountCount = 0
    private var accountIDs = TextColumn()
    private var linker: EntityLinker?
    private var parent: [Int32] = []
    private var linkIssues: [InputIssue] = []

    // Results, each written by one job.
    private var eventTable: Table?
    private let grouped = ResultSlots<(table: Table, issues: [InputIssue])>(count: BookBuilder.byAccount.count)

    init(pool: JobPool, ownsTables: Bool, keeping selection: ColumnSelection = .all) {
        self.pool = pool
        self.ownsTables = ownsTables
        self.selection = selection
        memoryHold = ownsTables ? MemoryHold() : nil
    }

    /// A builder that groups tables by the accounts of `book` (already linked): only
    /// `grouped(_:)` of the tables handed over is asked for, not a whole book.
    init(pool: JobPool, linkedTo book: Book, ownsTables: Bool, keeping selection: ColumnSelection) {
        self.pool = pool
        self.ownsTables = ownsTables
        self.selection = selection
        memoryHold = ownsTables ? MemoryHold() : nil
        accountCount = book.accountCount
        linker = EntityLinker(index: book.names.accountIndex)
        state.withLock { $0.linked = true }
    }

    /// The grouped table `name` (one of `byAccount`) and the problems found linking it, once
    /// the pool has run every job.
    func grouped(_ name: TableName) -> (table: Table, issues: [InputIssue])? {
        memoryHold?.letGo()
        return grouped.take(BookBuilder.byAccount.firstIndex(of: name)!)
    }

    /// Hands over a table (read and merged). Every table must be handed over once.
    func add(_ data: TableData) {
        let table = data.table
        var start: [TableName] = []
        var link = false
        state.withLock { s in
            s.merged[table] = data
            if table == .accounts { link = true }
            if s.linked { start = readyAfterLink(&s) }
        }
        if link { pool.add(priority: Priority.link) { self.link() } }
        for t in start { schedule(t) }
    }

    /// The book, once the pool has run every job.
    func book() -> (book: Book, issues: [InputIssue]) {
        let (book, linkIssues, byTable) = bookByTable()
        return (book, linkIssues + BookBuilder.byAccount.flatMap { byTable[$0] ?? [] })
    }

    /// The book, with the problems of linking the accounts apart from those of each grouped table.
    func bookByTable() -> (book: Book, linkIssues: [InputIssue], tableIssues: [TableName: [InputIssue]]) {
        memoryHold?.letGo()
        var issues: [TableName: [InputIssue]] = [:]
        var tables: [TableName: Table] = [:]
        for (k, name) in BookBuilder.byAccount.enumerated() {
            let result = grouped.take(k)!
            issues[name] = result.issues
            tables[name] = result.table
        }
        let n = accounts.rowCount
        let accountTable = Table(
            schema: accounts.schema, columns: accounts.columns, groupStarts: (0...Int32(n)).map { $0 })
        let book = Book(
            accounts: accountTable, contacts: tables[.contacts]!, orders: tables[.orders]!,
            serviceCosts: tables[.serviceCosts]!, events: eventTable!, accountIDs: accountIDs,
            extraIDs: linker!.extras, parent: parent, accountIDsAscend: linker!.sorted)
        return (book, linkIssues, issues)
    }

    /// Tables (and events) whose grouping can start now; marks them started.
    private func readyAfterLink(_ s: inout State) -> [TableName] {
        var out: [TableName] = []
        if !s.eventsStarted && s.merged[.events] != nil {
            s.eventsStarted = true
            out.append(.events)
        }
        for t in BookBuilder.byAccount where !s.groupingStarted.contains(t) && s.merged[t] != nil {
            s.groupingStarted.insert(t)
            out.append(t)
        }
        return out
    }

    private func take(_ table: TableName) -> TableData {
        state.withLock { $0.merged.removeValue(forKey: table)! }
    }

    private func schedule(_ table: TableName) {
        if table == .events {
            pool.add(priority: Priority.events) { self.groupEvents() }
        } else {
            startGrouping(table)
        }
    }

    // MARK: - Linking

    private func link() {
        accounts = take(.accounts)
        accountCount = accounts.rowCount
        let schema = TableSchema.accounts
        guard case .text(let ids) = accounts.columns[schema.index(of: "account_id")!],
            case .text(let parentIDs) = accounts.columns[schema.index(of: "parent_id")!]
        else { preconditionFailure("accounts schema") }
        accountIDs = ids
        let linker = EntityLinker(index: AccountIndex(ids: ids))
        // Parents: accounts, or other entities that end the chain.
        let n = accounts.rowCount
        var parent = Array(repeating: Int32(-1), count: n)
        parentIDs.bytes.withUnsafeBufferPointer { bytes in
            parentIDs.ends.withUnsafeBufferPointer { ends in
                for row in 0..<n {
                    let count = ends.rangeCount(row)
                    if count == 0 { continue }
                    parent[row] = linker.entity(bytes.baseAddress! + ends.rangeStart(row), count, addingExtra: true)
                }
            }
        }
        linkIssues =
            Book.reportCycles(parent, accounts: accounts, ids: ids)
            + Book.reportDeepChains(parent, accounts: accounts, ids: ids)
        self.parent = parent
        self.linker = linker
        let start = state.withLock { s in
            s.linked = true
            return readyAfterLink(&s)
        }
        for t in start { schedule(t) }
    }

    /// Events are kept by the id they name, account or not (new ids become extra entities:
    /// only this job and the link job before it add them).
    private func groupEvents() {
        var events = take(.events)
        let linker = linker!
        var groups: [Int32] = []
        if case .text(let names) = events.columns[TableSchema.events.index(of: "account_id")!] {
            groups.reserveCapacity(events.rowCount)
            names.bytes.withUnsafeBufferPointer { bytes in
                names.ends.withUnsafeBufferPointer { ends in
                    for row in 0..<events.rowCount {
                        groups.append(
                            linker.entity(
                                bytes.baseAddress! + ends.rangeStart(row), ends.rangeCount(row), addingExtra: true))
                    }
                }
            }
        }
        let entityCount = accounts.rowCount + linker.extras.count
        doneWithIndex()
        eventTable = Grouper.group(&events, groups: &groups, groupCount: entityCount).table
    }

    /// The accounts of a chunk of a table grouped by account, looked up in its decoding job
    /// when the accounts are linked by then (`nil` otherwise: looked up after the merge).
    func lookUpWhileDecoding(_ table: TableName, _ chunk: ChunkOutput) -> ChunkAccounts? {
        guard BookBuilder.byAccount.contains(table) else { return nil }
        // The index stays until the table's own grouping starts, after its last chunk is decoded.
        guard let index = state.withLock({ $0.linked ? linker?.index : nil }) else { return nil }
        let schema = TableSchema.schema(for: table)
        guard let slot = schema.index(of: "account_id"),
            case .text(let t, _) = ColumnLayout(schema: schema).places[slot]
        else { return nil }
        let text = chunk.texts[t]
        guard !text.discards, text.count == chunk.rowCount else { return nil }
        let cells = TextSegments([text])
        let groups = [Int32](unsafeUninitializedCapacity: max(cells.count, 1)) { buffer, count in
            index.withLookup { Grouper.lookUp(cells, piece: 0, $0, into: buffer.baseAddress!) }
            count = cells.count
        }
        var unknown: [(row: Int, name: String)] = []
        for row in 0..<groups.count where groups[row] < 0 {
            let (p, n) = cells.cell(local: row, inPiece: 0)
            unknown.append((row, String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
            // Rows naming no account are rare: past a few, the text is kept (and named from).
            if unknown.count > 64 && unknown.count * 16 > groups.count { break }
        }
        // The text goes now unless the book keeps it or too many rows name no account.
        let release =
            !selection.keeps(in: schema, slot: slot) && !(unknown.count > 64 && unknown.count * 16 > groups.count)
        if release { text.reset() }
        return ChunkAccounts(
            groups: groups, unknown: release ? unknown : Array(unknown.prefix(1)), textReleased: release)
    }

    // MARK: - Grouping by account

    private func startGrouping(_ table: TableName) {
        // The sole owner of chunk pieces copies cells straight from them (see `PendingColumns`).
        let work = Work(take(table), soleOwner: ownsTables, slot: BookBuilder.byAccount.firstIndex(of: table)!)
        let index = linker!.index
        doneWithIndex()
        if let cells = work.pieceCells {
            work.lookUpsLeft.withLock { $0 = max(cells.pieceCount, 1) }
            // No pieces when every file of the table failed: nothing to look up, go on.
            if cells.pieceCount == 0 { pool.add(priority: Priority.lookUp) { self.lookedUp(work) } }
            let pieces = work.data.pending!.pieces
            for p in 0..<cells.pieceCount {
                if let accounts = pieces[p].accounts {
                    // Looked up while decoding.
                    accounts.groups.withUnsafeBufferPointer {
                        (work.groups + cells.starts[p]).update(
                            from: $0.baseAddress!, count: cells.rows(ofPiece: p).count)
                    }
                    accounts.release()
                    lookedUp(work)
                    continue
                }
                pool.add(priority: Priority.lookUp + min(cells.rows(ofPiece: p).count >> 10, 999)) {
                    index.withLookup { Grouper.lookUp(cells, piece: p, $0, into: work.groups) }
                    self.lookedUp(work)
                }
            }
        } else {
            work.lookUpsLeft.withLock { $0 = 1 }
            pool.add(priority: Priority.lookUp + 999) {
                index.withLookup { lookup in
                    TextSegments.with(work.accountColumn!) { Grouper.lookUp($0, piece: 0, lookup, into: work.groups) }
                }
                // Rows looked up while decoding (their text may be gone): their answers.
                if let known = work.data.accountGroups {
                    for (row, g) in known.enumerated() where g != TableData.lookUpLater { work.groups[row] = g }
                    work.data.accountGroups = nil
                }
                self.lookedUp(work)
            }
        }
    }

    private func lookedUp(_ work: Work) {
        let last = work.lookUpsLeft.withLock { left in
            left -= 1
            return left == 0
        }
        if last { pool.add(priority: Priority.plan) { self.plan(work) } }
    }

    private func plan(_ work: Work) {
        let groups = UnsafeBufferPointer(start: work.groups, count: work.data.rowCount)
        if let cells = work.pieceCells {
            work.issues = Grouper.unknownAccounts(
                work.data, groups, slot: work.accountSlot, names: cells,
                lookedUp: work.data.pending!.pieces.map(\.accounts))
        } else {
            work.issues = TextSegments.with(work.accountColumn!) {
                Grouper.unknownAccounts(work.data, groups, slot: work.accountSlot, names: $0)
            }
        }
        work.accountColumn = nil
        // Lines only served the summary above; account ids not kept served only the lookups.
        work.data.lines = []
        if work.soleOwner, !selection.keeps(in: work.data.schema, slot: work.accountSlot),
            let pending = work.data.pending, pending.inPieces(work.accountSlot)
        {
            pending.release(work.accountSlot)
        }
        work.plan = Grouper.plan(
            groups, groupCount: accountCount,
            pieceStarts: work.soleOwner ? work.data.pending?.pieceStarts : nil)
        work.releaseGroups()
        let slots = work.data.schema.columns.indices
        work.copiesLeft.withLock { $0 = slots.count }
        for slot in slots {
            let schema = work.data.schema
            pool.add(priority: Priority.copy + min(work.data.rowCount >> 12, 999)) {
                let stored = work.stored.take(slot)!
                let column: Column
                if self.selection.keeps(in: schema, slot: slot) {
                    column = Grouper.column(
                        slot, stored: stored, pending: work.data.pending, soleOwner: work.soleOwner, plan: work.plan!)
                } else {
                    // Read for grouping or duplicates only: no cell is copied.
                    if work.soleOwner, let pending = work.data.pending, pending.holds(slot) { pending.release(slot) }
                    column = work.absent(count: work.plan!.kept)
                }
                work.columns.set(slot, column)
                let last = work.copiesLeft.withLock { left in
                    left -= 1
                    return left == 0
                }
                if last { self.finish(work) }
            }
        }
    }

    private func finish(_ work: Work) {
        let columns = work.data.schema.columns.indices.map { work.columns.take($0)! }
        let table = Table(schema: work.data.schema, columns: columns, groupStarts: work.plan!.starts)
        work.data = .empty(work.data.table)
        grouped.set(work.resultSlot, (table, work.issues))
    }

    /// One table on its way to group order; each job writes only its own parts.
    private final class Work: @unchecked Sendable {
        // Unchecked Sendable: each job writes only its own parts; the counters that order the jobs are Mutexes.
        var data: TableData
        let soleOwner: Bool
        let resultSlot: Int
        let accountSlot: Int
        /// The account ids in their pieces, when they are still there (sole owner).
        let pieceCells: TextSegments?
        /// Otherwise the account id column.
        var accountColumn: TextColumn?
        /// Account index of each row (-1: none).
        private(set) var groups: UnsafeMutablePointer<Int32>
        let lookUpsLeft = Mutex(0)
        let copiesLeft = Mutex(0)
        var issues: [InputIssue] = []
        var plan: Grouper.Plan?
        /// The table's own columns (placeholders for pending ones), each taken once.
        let stored: ResultSlots<Column>
        let columns: ResultSlots<Column>

        init(_ data: TableData, soleOwner: Bool, slot: Int) {
            self.data = data
            self.soleOwner = soleOwner
            resultSlot = slot
            accountSlot = data.schema.index(of: "account_id")!
            if soleOwner, let pending = data.pending, pending.inPieces(accountSlot) {
                pieceCells = pending.segments(accountSlot)
            } else {
                pieceCells = nil
                accountColumn = data.column(accountSlot).textColumn!
            }
            groups = .allocate(capacity: max(data.rowCount, 1))
            let count = data.storedColumns.count
            stored = ResultSlots(count: count)
            for (slot, column) in data.storedColumns.enumerated() { stored.set(slot, column) }
            self.data.storedColumns = []
            columns = ResultSlots(count: count)
        }

        /// One all-absent text column, shared by every column of the table not kept.
        private let absentColumn = Mutex<Column?>(nil)

        func absent(count: Int) -> Column {
            absentColumn.withLock { column in
                if column == nil { column = .absentText(count: count) }
                return column!
            }
        }

        func releaseGroups() {
            groups.deallocate()
            groups = .allocate(capacity: 1)
        }

        deinit { groups.deallocate() }
    }
}
