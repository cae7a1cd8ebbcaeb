import KamwatchVocabulary
import Synchronization

/// `link: name` columns resolved while the book is read (`Book.load(directory:sources:)`), with
/// the same outcome as `SourcePlan.resolveLinks`: once the accounts are merged, their names
/// are indexed and their own linked columns resolved. From then on, each chunk of another
/// table gets its linked cells replaced by account ids in place as soon as it is decoded
/// (`decoded`), so that the names are never held; a table whose chunks were decoded before has
/// them resolved while it is merged, if the names are ready by then (`merging`), or else once
/// it is merged, one job per chunk. The tables then go on to `hand` (the book's builder).
final class SourceLinking: @unchecked Sendable {
    // Unchecked Sendable: `names` is written by the accounts job before any job that reads it
    // is added (under `state`); every other `var` is changed under `state` only.
    private let plan: SourcePlan
    private let pool: JobPool
    private let priority: Int
    private let hand: @Sendable (TableData) -> Void
    private var names: AccountNames?
    private let state = Mutex(State())

    private struct State: Sendable {
        var ready = false
        var waiting: [TableData] = []
        /// Per table and linked column (in `linkedColumns` order): the first row naming each
        /// shared name, and its report.
        var shared: [TableName: [[SharedName]]] = [:]
        /// Chunks resolved when decoded (the builder kept so that its identity stays unique),
        /// with the rows (in the chunk) naming shared names.
        var decodedHits: [ObjectIdentifier: (TextBuilder, [AccountNames.Hit])] = [:]
        /// Per table merged from resolved chunks (decided at its first chunk), per linked
        /// column: the lines naming shared names.
        var inChunks: [TableName: Bool] = [:]
        var lineHits: [TableName: [[LineHit]]] = [:]
    }

    /// A row naming a shared name, by its file (index in the table's files) and line.
    struct LineHit: Sendable {
        var file: Int
        var line: Int
        var hit: AccountNames.Hit
    }

    /// A linked column of a table other than the accounts: its slot and text builder index.
    private struct Linked: Sendable {
        var slot: Int
        var text: Int
        var keepUnknown: Bool
    }

    private let linked: [TableName: [Linked]]

    /// The first row of a linked column naming a name that several accounts share.
    struct SharedName: Sendable {
        var row: Int
        /// The name lower-cased: each is reported once over all tables.
        var key: String
        var issue: InputIssue
    }

    init(plan: SourcePlan, pool: JobPool, priority: Int, hand: @escaping @Sendable (TableData) -> Void) {
        self.plan = plan
        self.pool = pool
        self.priority = priority
        self.hand = hand
        var linked: [TableName: [Linked]] = [:]
        for (table, block) in plan.tables where table != .accounts && !block.linkedColumns.isEmpty {
            let schema = plan.schema[table]
            let layout = ColumnLayout(schema: schema)
            linked[table] = block.linkedColumns.compactMap { name in
                guard let slot = schema.index(of: name), case .text(let t, _) = layout.places[slot] else { return nil }
                return Linked(slot: slot, text: t, keepUnknown: name != "parent_id")
            }
        }
        self.linked = linked
    }

    /// Which chunks are resolved before their table is merged (see `hooks(_:)`).
    enum ChunkLinking: Sendable {
        /// Each as it is decoded (once the accounts are indexed), the others while merging.
        case all
        /// Each while its table is merged.
        case merging
        /// None: each table once it is merged.
        case none
    }

    /// The chunk hooks for `TableReader`.
    func hooks(_ linking: ChunkLinking = .all) -> TableReader.ChunkHooks? {
        if linking == .none { return nil }
        let decoding = linking == .all
        return TableReader.ChunkHooks(
            decoded: { table, output in if decoding { self.decoded(table, output) } },
            merging: { table, file, lineBase, output in self.merging(table, file: file, lineBase: lineBase, output) })
    }

    /// The names once the accounts are indexed.
    private var readyNames: AccountNames? { state.withLock { $0.ready } ? names : nil }

    /// Resolves a chunk's linked cells in place, if the names are ready.
    private func decoded(_ table: TableName, _ output: ChunkOutput) {
        guard let columns = linked[table], let names = readyNames else { return }
        for column in columns {
            let cells = output.texts[column.text]
            let hits = names.resolve(cells, keepUnknown: column.keepUnknown)
            state.withLock { $0.decodedHits[ObjectIdentifier(cells)] = (cells, hits) }
        }
    }

    /// Resolves a chunk the table is merged from, if it was not when decoded (and the names
    /// were ready at the table's first chunk), and notes the lines naming shared names.
    private func merging(_ table: TableName, file: Int, lineBase: Int, _ output: ChunkOutput) {
        guard let columns = linked[table] else { return }
        let ready = state.withLock { s -> Bool in
            if let decided = s.inChunks[table] { return decided }
            s.inChunks[table] = s.ready
            if s.ready { s.lineHits[table] = Array(repeating: [], count: columns.count) }
            return s.ready
        }
        guard ready, let names else { return }
        for (k, column) in columns.enumerated() {
            let cells = output.texts[column.text]
            let hits =
                state.withLock { $0.decodedHits.removeValue(forKey: ObjectIdentifier(cells)) }?.1
                ?? names.resolve(cells, keepUnknown: column.keepUnknown)
            if hits.isEmpty { continue }
            let lines = output.lines.buffer
            let found = hits.map { LineHit(file: file, line: lineBase + Int(lines[$0.row]), hit: $0) }
            state.withLock { $0.lineHits[table]![k] += found }
        }
    }

    /// The reports of a table merged from resolved chunks: the first line naming each shared
    /// name, among the rows the table kept.
    private func reportsFromChunks(_ data: TableData) {
        guard let columns = linked[data.table], let names else { return }
        let lineHits = state.withLock { s in
            return s.lineHits[data.table] ?? []
        }
        var found: [[SharedName]] = []
        for (k, column) in columns.enumerated() {
            var seen = Set<String>()
            var list: [SharedName] = []
            for hit in lineHits[k].sorted(by: { ($0.file, $0.line) < ($1.file, $1.line) }) {
                guard let row = data.row(file: hit.file, line: hit.line), !seen.contains(hit.hit.key) else { continue }
                seen.insert(hit.hit.key)
                list.append(names.report(hit.hit, row: row, table: data, slot: column.slot))
            }
            found.append(list)
        }
        state.withLock { $0.shared[data.table] = found }
    }

    /// Hands over a merged table (each table once; the accounts before `pool` finishes).
    func add(_ data: TableData) {
        if data.table == .accounts {
            pool.add(priority: priority + 1) { self.linkAccounts(data) }
            return
        }
        guard let block = plan.tables[data.table], !block.linkedColumns.isEmpty else {
            hand(data)
            return
        }
        if state.withLock({ $0.inChunks[data.table] ?? false }) {
            reportsFromChunks(data)
            hand(data)
            return
        }
        let now = state.withLock { s -> Bool in
            if !s.ready { s.waiting.append(data) }
            return s.ready
        }
        if now { schedule(data) }
    }

    /// The reports of shared names, once the pool has run every job: tables in `TableName`
    /// order, each name once.
    func issues() -> [InputIssue] {
        let shared = state.withLock { $0.shared }
        var reported = Set<String>()
        var issues: [InputIssue] = []
        for table in TableName.allCases {
            for column in shared[table] ?? [] {
                for hit in column where reported.insert(hit.key).inserted { issues.append(hit.issue) }
            }
        }
        return issues
    }

    // MARK: - Jobs

    private func linkAccounts(_ accounts: TableData) {
        var data = accounts
        let names = AccountNames(data)
        self.names = names
        if let block = plan.tables[.accounts] {
            var found: [[SharedName]] = []
            for name in block.linkedColumns {
                guard let slot = data.schema.index(of: name), case .text(let cells) = data.column(slot) else {
                    found.append([])
                    continue
                }
                let (column, hits) = names.resolve(cells, keepUnknown: name != "parent_id", table: data, slot: slot)
                data.setStored(slot, .text(column))
                found.append(hits)
            }
            state.withLock { $0.shared[.accounts] = found }
            dropSelfParents(&data)
        }
        hand(data)
        let waiting = state.withLock { s -> [TableData] in
            s.ready = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for table in waiting { schedule(table) }
    }

    /// In a mapped accounts table, a parent equal to the account itself means no parent.
    private func dropSelfParents(_ data: inout TableData) {
        let schema = TableSchema.accounts
        guard let parentSlot = schema.index(of: "parent_id"), case .text(let parents) = data.column(parentSlot),
            case .text(let ids) = data.column(schema.index(of: "account_id")!)
        else { return }
        data.setStored(parentSlot, .text(TextColumn.parents(parents, withoutSelf: ids)))
    }

    /// Resolves a table's linked columns: those still in the chunks one job per chunk, then
    /// (in the last of them) the others, and hands the table on.
    private func schedule(_ data: TableData) {
        let work = TableWork(data, linked: plan.tables[data.table]!.linkedColumns)
        guard let pending = data.pending, !work.inPieces.isEmpty, !pending.pieces.isEmpty else {
            pool.add(priority: priority) { self.finish(work) }
            return
        }
        let names = names!
        for p in pending.pieces.indices {
            pool.add(priority: priority) {
                for (k, slot) in work.inPieces.enumerated() {
                    guard case .text(let t, _) = pending.layout.places[slot] else { continue }
                    let cells = pending.pieces[p].texts[t]
                    let out = TextBuilder()
                    var hits: [AccountNames.Hit] = []
                    let ok = names.resolveByBytes(
                        cells.bytes.base, cells.ends.base, count: cells.count,
                        keepUnknown: work.keepUnknown[slot]!, into: out, hits: &hits, rowBase: pending.pieceStarts[p])
                    work.results.withLock { $0[k][p] = ok ? (out, hits) : nil }
                }
                if work.remaining.withLock({ left in
                    left -= 1
                    return left == 0
                }) {
                    self.finish(work)
                }
            }
        }
    }

    /// The state of one table's resolution.
    private final class TableWork: @unchecked Sendable {
        // Unchecked Sendable: `data` is changed only by `finish`, after every chunk job has run.
        var data: TableData
        let linked: [(name: String, slot: Int)]
        /// Linked slots whose cells are still in the chunks.
        let inPieces: [Int]
        let keepUnknown: [Int: Bool]
        /// Per slot of `inPieces`, per chunk: its resolved cells, `nil` when some cell is text
        /// `NameKey` cannot compare.
        let results: Mutex<[[(TextBuilder, [AccountNames.Hit])?]]>
        let remaining: Mutex<Int>

        init(_ data: TableData, linked names: [String]) {
            self.data = data
            var linked: [(String, Int)] = []
            var keep: [Int: Bool] = [:]
            for name in names {
                guard let slot = data.schema.index(of: name),
                    [.text, .keyword].contains(data.schema.columns[slot].kind)
                else { continue }
                linked.append((name, slot))
                keep[slot] = name != "parent_id"
            }
            self.linked = linked
            self.keepUnknown = keep
            let pending = data.pending
            inPieces = pending.map { p in linked.map(\.1).filter { p.inPieces($0) } } ?? []
            let pieces = pending?.pieces.count ?? 0
            results = Mutex(Array(repeating: Array(repeating: nil, count: pieces), count: inPieces.count))
            remaining = Mutex(pieces)
        }
    }

    private func finish(_ work: TableWork) {
        let names = names!
        var data = work.data
        let results = work.results.withLock { $0 }
        var found: [[SharedName]] = []
        for (name, slot) in work.linked {
            if let k = work.inPieces.firstIndex(of: slot), let pending = data.pending,
                case .text(let t, _) = pending.layout.places[slot]
            {
                var hits: [AccountNames.Hit] = []
                let byBytes = results[k].allSatisfy { $0 != nil }
                for p in pending.pieces.indices {
                    let cells = pending.pieces[p].texts[t]
                    if byBytes {
                        let (out, pieceHits) = results[k][p]!
                        cells.replace(with: out)
                        hits += pieceHits
                    } else {
                        let out = TextBuilder()
                        names.resolveByName(
                            cells.bytes.base, cells.ends.base, count: cells.count,
                            keepUnknown: work.keepUnknown[slot]!, into: out, hits: &hits,
                            rowBase: pending.pieceStarts[p])
                        cells.replace(with: out)
                    }
                }
                found.append(names.reports(hits, table: data, slot: slot))
            } else if case .text(let cells) = data.column(slot) {
                let (column, hits) = names.resolve(cells, keepUnknown: name != "parent_id", table: data, slot: slot)
                data.setStored(slot, .text(column))
                found.append(hits)
            }
        }
        work.data = TableData.empty(data.table)
        state.withLock { $0.shared[data.table] = found }
        hand(data)
    }
}

extension TableData {
    /// The row read from line `line` of `files[file]`, if the table kept it.
    fileprivate func row(file: Int, line: Int) -> Int? {
        var low = fileRowStarts[file]
        var high = fileRowStarts[file + 1]
        while low < high {
            let mid = (low + high) / 2
            if Int(lines[mid]) < line { low = mid + 1 } else { high = mid }
        }
        return low < fileRowStarts[file + 1] && Int(lines[low]) == line ? low : nil
    }
}
