import Dispatch
import KamwatchVocabulary
import Synchronization

/// Reads the files of tables into `TableData`, using every core: tables are read concurrently
/// and big plain files are split into chunks at line boundaries.
public enum TableReader {
    /// Plain files above twice this size are split into chunks of about this size.
    static let defaultChunkSize = 24 << 20

    /// Reads one table from `files` (names relative to `directory`, or paths when it is `nil`),
    /// concatenated in the given order.
    public static func read(_ table: TableName, files: [String], in directory: String?) -> TableData {
        read([table: files], in: directory)[table] ?? .empty(table)
    }

    /// Reads several tables at once; each entry lists its files in reading order. Text
    /// columns that `selection` does not keep are read and checked, but stored as absent.
    ///
    /// With `sources`, the files of a table it describes are read through its block. Once
    /// `cancellation` is cancelled, the tables not read whole yet are left out.
    public static func read(
        _ tables: [TableName: [String]], in directory: String?, keeping selection: ColumnSelection = .all,
        sources: SourcePlan? = nil, cancellation: ReadCancellation? = nil
    ) -> [TableName: TableData] {
        read(
            tables, in: directory, chunkSize: defaultChunkSize, keeping: selection, sources: sources,
            cancellation: cancellation)
    }

    static func read(
        _ tables: [TableName: [String]], in directory: String?, chunkSize: Int,
        keeping selection: ColumnSelection = .all, sources: SourcePlan? = nil,
        cancellation: ReadCancellation? = nil
    ) -> [TableName: TableData] {
        let pool = JobPool(cancellation: cancellation)
        let results = ResultSlots<TableData>(count: TableName.allCases.count)
        read(
            tables, in: directory, chunkSize: chunkSize, keeping: selection, sources: sources, on: pool,
            rank: { _ in 0 },
            mergePriority: 1 << 50
        ) { data in
            results.set(TableName.allCases.firstIndex(of: data.table)!, data)
        }
        pool.run()
        var out: [TableName: TableData] = [:]
        for (i, table) in TableName.allCases.enumerated() { out[table] = results.take(i) }
        return out
    }

    /// Plans the files of `tables` (on the calling thread) and adds to `pool` one job per chunk
    /// to decode. Once a table's chunks are all decoded, a job merges them and hands the table
    /// to `merged`. Chunks run by `rank` of their table (higher first), then biggest first;
    /// merges at `mergePriority` (plus the rank).
    static func read(
        _ tables: [TableName: [String]], in directory: String?, chunkSize: Int,
        keeping selection: ColumnSelection = .all, sources: SourcePlan? = nil,
        on pool: JobPool, rank: (TableName) -> Int, mergePriority: Int, chunks: ChunkHooks? = nil,
        merged: @escaping @Sendable (TableData) -> Void
    ) {
        MemoryPolicy.apply()
        for table in TableName.allCases {
            guard let files = tables[table] else { continue }
            // A sources file may give the table columns of the user's own.
            let schema = sources?.schema[table] ?? TableSchema.schema(for: table)
            let plans = files.map { name in
                var plan = FilePlan.make(
                    name: name, path: path(of: name, in: directory), schema: schema, chunkSize: chunkSize,
                    source: sources?.tables[table], sourcesFile: sources?.file ?? "")
                plan.selection = selection
                return plan
            }
            let decoding = TableDecoding(table: table, plans: plans, hooks: chunks)
            let tableRank = rank(table)
            let merge: @Sendable () -> Void = {
                pool.add(priority: mergePriority + tableRank) { merged(decoding.merge()) }
            }
            if decoding.chunkCount == 0 {
                merge()
                continue
            }
            for (f, plan) in plans.enumerated() {
                for c in plan.chunks.indices {
                    // A whole-file job's chunk has no end: weigh it by the file's size.
                    let size = plan.whole ? plan.file?.size ?? 0 : plan.chunks[c].size
                    pool.add(priority: tableRank << 40 + min(size, 1 << 39)) {
                        if decoding.decode(file: f, chunk: c) { merge() }
                    }
                }
            }
        }
    }

    /// Work done on each chunk output of a table (`read(_:in:chunkSize:keeping:sources:on:...)`):
    /// `decoded` in the job that decoded it; `merging`, with its file and first line, on each
    /// chunk the table is merged from (including chunks decoded again while merging).
    struct ChunkHooks: Sendable {
        var decoded: @Sendable (TableName, ChunkOutput) -> Void
        var merging: @Sendable (TableName, _ file: Int, _ lineBase: Int, ChunkOutput) -> Void
        /// The accounts of a chunk's rows, looked up in the job that decoded it (`nil`: later).
        var lookUp: (@Sendable (TableName, ChunkOutput) -> ChunkAccounts?)? = nil
    }

    /// One table's files being decoded: chunk outputs land in slots until the last one is in.
    private final class TableDecoding: Sendable {
        let table: TableName
        let plans: [FilePlan]
        let hooks: ChunkHooks?
        /// First slot of each file's chunks.
        private let firstSlot: [Int]
        private let outputs: ResultSlots<ChunkOutput>
        let chunkCount: Int
        private let remaining: Mutex<Int>
        /// The input still to decode, announced so that chunk buffers freed meanwhile are kept
        /// for the chunks to come (`ColumnMemory`).
        private let input: InputAnnouncement

        init(table: TableName, plans: [FilePlan], hooks: ChunkHooks?) {
            self.table = table
            self.plans = plans
            self.hooks = hooks
            var first: [Int] = []
            var count = 0
            for plan in plans {
                first.append(count)
                count += plan.chunks.count
            }
            firstSlot = first
            chunkCount = count
            outputs = ResultSlots(count: count)
            remaining = Mutex(count)
            let bytes = plans.reduce(0) { sum, plan in
                plan.chunks.indices.reduce(sum) { $0 + plan.inputSize(chunk: $1) }
            }
            input = InputAnnouncement(bytes: bytes)
        }

        /// Decodes one chunk; `true` when it was the last one of the table.
        func decode(file f: Int, chunk c: Int) -> Bool {
            let plan = plans[f]
            var out = plan.decode(chunk: c)
            // A whole file that turns out not to be UTF-8 is decoded again right away, while the
            // other jobs still run, rather than alone when the table is merged.
            if plan.whole && plan.chunks.count == 1 && plan.failure == nil && !plan.windows1251 && out.invalidUTF8
                && out.failure == nil
            {
                out = plan.rereadAsWindows1251().decode(chunk: 0)
                out.windows1251 = true
            }
            hooks?.decoded(table, out)
            if out.failure == nil && !out.invalidUTF8 { out.accounts = hooks?.lookUp?(table, out) }
            outputs.set(firstSlot[f] + c, out)
            input.decoded(plan.inputSize(chunk: c))
            return remaining.withLock { left in
                left -= 1
                return left == 0
            }
        }

        /// Checks chunk seams and merges the chunks into the table's rows (once, after the last chunk).
        func merge() -> TableData {
            var byFile: [[ChunkOutput?]] = plans.indices.map { f in
                (0..<plans[f].chunks.count).map { outputs.take(firstSlot[f] + $0) }
            }
            return TableReader.assemble(table, plans: plans, outputs: &byFile, hooks: hooks)
        }
    }

    static func path(of name: String, in directory: String?) -> String {
        guard let directory, !name.hasPrefix("/") else { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Finishes one table: re-reads chunks whose start was not a record boundary, re-reads files
    /// that are not UTF-8, numbers lines, drops duplicate ids and concatenates the chunks.
    static func assemble(
        _ table: TableName, plans: [FilePlan], outputs: inout [[ChunkOutput?]], hooks: ChunkHooks? = nil
    ) -> TableData {
        let schema = plans.first?.schema ?? TableSchema.schema(for: table)
        let layout = ColumnLayout(schema: schema)
        var reports: [FileReport] = []
        var fileIssues: [[(line: Int, issue: InputIssue)]] = []
        var pieces: [(file: Int, lineBase: Int, output: ChunkOutput)] = []
        for (f, var plan) in plans.enumerated() {
            var chunks = outputs[f].map { $0! }
            if chunks.count == 1 && chunks[0].windows1251 {
                plan = plan.rereadAsWindows1251()
            } else if plan.failure == nil && plan.windows1251 && chunks.count > 1 {
                // Chunks of a converted file: a record that ran past a chunk's end (a quoted line
                // end) leaves no file offset to start the next chunk at; read the file whole.
                let seamsMatch = (0..<chunks.count - 1).allSatisfy {
                    chunks[$0].failure != nil || chunks[$0].endOffset == plan.chunks[$0 + 1].start
                }
                if !seamsMatch {
                    plan = plan.rereadAsWindows1251()
                    chunks = [plan.decode(chunk: 0)]
                }
            } else if plan.failure == nil && !plan.windows1251 {
                // A chunk that did not end where the next one starts overran a quoted line feed:
                // read the next one again from where this one really ended.
                var k = 0
                while k + 1 < chunks.count {
                    if chunks[k].failure != nil || chunks[k].invalidUTF8 { break }
                    if chunks[k].endOffset != plan.chunks[k + 1].start {
                        plan.chunks[k + 1].start = chunks[k].endOffset
                        chunks[k + 1] = plan.decode(chunk: k + 1)
                    }
                    k += 1
                }
                if chunks.contains(where: { $0.invalidUTF8 && $0.failure == nil }) || plan.headerInvalidUTF8 {
                    plan = plan.rereadAsWindows1251()
                    chunks = [plan.decode(chunk: 0)]
                }
            }
            var report = plan.report
            var issues: [(line: Int, issue: InputIssue)] = []
            if let failure = plan.failure ?? chunks.first(where: { $0.failure != nil })?.failure?.reason {
                report.failure = failure
                issues.append((0, InputIssue(file: plan.name, reason: failure)))
                reports.append(report)
                fileIssues.append(issues)
                continue
            }
            // Whole-file reads learn the header while decoding.
            if let learned = chunks.first?.header {
                report.header = learned.mapping; report.dialect = learned.dialect; report.encoding = learned.encoding
            }
            let firstDataLine = chunks.first?.header?.firstDataLine ?? plan.firstDataLine
            if let (line, reason) = chunks.first?.fileIssue {
                issues.append((line, InputIssue(file: plan.name, line: line, reason: reason)))
                report.lostColumns = reason
            }
            if let header = report.header, !header.missingRequired.isEmpty {
                let names = header.missingRequired.map { "\"\($0)\"" }.joined(separator: ", ")
                let noun = header.missingRequired.count == 1 ? "column" : "columns"
                let reason = "the header lacks the required \(noun) \(names): every row is bad"
                issues.append((1, InputIssue(file: plan.name, line: 1, reason: reason)))
                report.lostColumns = reason
            }
            var lineBase = firstDataLine
            for chunk in chunks {
                for pending in chunk.issues {
                    let line = lineBase + pending.relativeLine
                    issues.append(
                        (line, InputIssue(file: plan.name, line: line, column: pending.column, reason: pending.reason)))
                }
                report.badRows += chunk.badRows
                report.goodRows += chunk.rowCount
                hooks?.merging(table, f, lineBase, chunk)
                pieces.append((f, lineBase, chunk))
                lineBase += chunk.newlines
            }
            reports.append(report)
            fileIssues.append(issues)
        }
        outputs = []
        return merge(
            table, schema: schema, layout: layout, keeping: plans.first?.selection ?? .all, reports: reports,
            fileIssues: fileIssues, pieces: &pieces)
    }

    /// Concatenates chunk outputs into columns, dropping rows whose id was already seen. Text
    /// columns with no cell at all, and the id column when `selection` does not keep it (read
    /// only to find duplicates), become one all-absent column shared by them.
    static func merge(
        _ table: TableName, schema: TableSchema, layout: ColumnLayout, keeping selection: ColumnSelection,
        reports: [FileReport],
        fileIssues: [[(line: Int, issue: InputIssue)]], pieces: inout [(file: Int, lineBase: Int, output: ChunkOutput)]
    ) -> TableData {
        var reports = reports
        var fileIssues = fileIssues
        let total = pieces.reduce(0) { $0 + $1.output.rowCount }
        // Lines and file boundaries.
        var fileRowStarts = Array(repeating: 0, count: reports.count + 1)
        let pieceRows = pieces.map(\.output.rowCount)
        for piece in pieces { fileRowStarts[piece.file + 1] += piece.output.rowCount }
        var lines: [UInt32] = ColumnBuffer.array(count: total) { out in
            var o = 0
            for piece in pieces {
                let base = UInt32(piece.lineBase)
                for line in piece.output.lines.buffer {
                    out[o] = line + base
                    o += 1
                }
                // Copied: the chunk's own lines go now rather than with the chunk, their pages
                // under the lines still to copy.
                piece.output.lines.reset()
                ColumnBuffer.recycle(out, from: o, memory: piece.output.lines.memory)
            }
        }
        for f in 0..<reports.count { fileRowStarts[f + 1] += fileRowStarts[f] }

        func fileOf(_ row: Int) -> Int { fileRowStarts.range(holding: row) }

        var columns: [Column?] = Array(repeating: nil, count: schema.columns.count)
        var absentColumn: Column?
        func absent(_ count: Int) -> Column {
            if absentColumn == nil { absentColumn = .absentText(count: count) }
            return absentColumn!
        }
        // Tables grouped by account are copied into group order straight from their chunks,
        // unless duplicate ids must be dropped first.
        let groupedLater = pieces.count <= Int(UInt16.max) && [.orders, .contacts, .serviceCosts].contains(table)
        // The id column first: duplicates decide which rows all columns drop.
        var dropped: [Int] = []
        if let idName = schema.idColumn, let slot = schema.index(of: idName), case .text(let t, _) = layout.places[slot]
        {
            let idPieces = pieces.map { $0.output.texts[t] }
            let cells = TextSegments(idPieces)
            let duplicates = DuplicateFinder.duplicates(in: cells)
            for (row, first) in duplicates {
                dropped.append(row)
                let f = fileOf(row)
                let firstFile = reports[fileOf(first)].name
                let label = reports[f].header?.slotLabel[slot] ?? idName
                let line = Int(lines[row])
                let (p, n) = cells.cell(row)
                let reason =
                    "duplicate \(idName) \(CellText.show(p, n)) (first seen at \(firstFile):\(lines[first]))"
                fileIssues[f].append(
                    (line, InputIssue(file: reports[f].name, line: line, column: label, reason: reason)))
                reports[f].goodRows -= 1
                reports[f].badRows += 1
            }
            // The accounts' ids name the entities: always kept.
            if table != .accounts && !selection.keeps(in: schema, slot: slot) {
                for piece in idPieces { piece.reset() }
                columns[slot] = absent(total - dropped.count)
            } else if !(groupedLater && dropped.isEmpty) {
                let ids = concatText(idPieces, total: total, releasing: true)
                columns[slot] = .text(dropped.isEmpty ? ids : filterText(ids, dropping: dropped))
            }
        }
        // Account ids looked up while decoding, some of their text let go.
        let accountSlot = schema.index(of: "account_id")
        let released = pieces.contains { $0.output.accounts?.textReleased == true }
        var accountGroups: [Int32]?
        if released, let slot = accountSlot, case .text(let t, _) = layout.places[slot],
            !(groupedLater && dropped.isEmpty)
        {
            let (text, groups) = mergeLookedUp(pieces.map(\.output), rows: pieceRows, text: t, total: total)
            columns[slot] = .text(dropped.isEmpty ? text : filterText(text, dropping: dropped))
            accountGroups = dropped.isEmpty ? groups : filter(groups, dropping: dropped)
        }
        // Text columns not stored while reading (every cell absent): nothing to copy.
        for (slot, place) in layout.places.enumerated() where columns[slot] == nil && !(released && slot == accountSlot)
        {
            guard case .text(let t, _) = place, pieces.allSatisfy({ $0.output.texts[t].bytes.count == 0 }) else {
                continue
            }
            for piece in pieces { piece.output.texts[t].reset() }
            columns[slot] = absent(total - dropped.count)
        }
        var pendingSlots = Set<Int>()
        if groupedLater && dropped.isEmpty {
            for slot in layout.places.indices where columns[slot] == nil {
                pendingSlots.insert(slot)
                columns[slot] = Column.empty(schema.columns[slot].kind)
            }
            // Account ids already looked up while decoding and not kept: their text goes now.
            if let slot = schema.index(of: "account_id"), pendingSlots.contains(slot),
                !selection.keeps(in: schema, slot: slot), case .text(let t, _) = layout.places[slot]
            {
                for piece in pieces where piece.output.accounts != nil { piece.output.texts[t].reset() }
            }
        }
        for (slot, place) in layout.places.enumerated() where columns[slot] == nil {
            switch place {
            case .text(let t, _):
                let merged = concatText(pieces.map { $0.output.texts[t] }, total: total, releasing: true)
                columns[slot] = .text(dropped.isEmpty ? merged : filterText(merged, dropping: dropped))
            case .number(let k):
                let merged = concat(pieces.map { $0.output.numbers[k] }, total: total, releasing: true)
                columns[slot] = .number(dropped.isEmpty ? merged : filter(merged, dropping: dropped))
            case .date(let k):
                let merged = concat(pieces.map { $0.output.dates[k] }, total: total, releasing: true)
                columns[slot] = .date(dropped.isEmpty ? merged : filter(merged, dropping: dropped))
            }
        }
        if !dropped.isEmpty {
            lines = filter(lines, dropping: dropped)
            var d = 0
            var removed = Array(repeating: 0, count: reports.count + 1)
            for f in 0..<reports.count {
                var count = 0
                while d < dropped.count && dropped[d] < fileRowStarts[f + 1] {
                    count += 1
                    d += 1
                }
                removed[f + 1] = removed[f] + count
            }
            for f in 0...reports.count { fileRowStarts[f] -= removed[f] }
        }
        var issues: [InputIssue] = []
        for list in fileIssues {
            // Stable: file-level issues first, then rows by line.
            issues.append(
                contentsOf: list.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
                    .map(\.element.issue))
        }
        var data = TableData(
            table: table, files: reports, columns: columns.map { $0! }, lines: lines,
            fileRowStarts: fileRowStarts, issues: issues, schema: schema)
        data.accountGroups = accountGroups
        if !pendingSlots.isEmpty {
            data.pending = PendingColumns(
                layout: layout, pieces: pieces.map(\.output), rows: pieceRows, pendingSlots: pendingSlots)
        }
        return data
    }

    /// The account ids of chunks some of which were looked up while decoding, back to back,
    /// with the answers: a chunk whose text was let go gives the ids of its rows naming no
    /// account (other cells empty) and its groups; the others their text, to look up later.
    static func mergeLookedUp(
        _ chunks: [ChunkOutput], rows: [Int], text t: Int, total: Int
    ) -> (TextColumn, [Int32]) {
        var text = TextColumn()
        text.ends.reserveCapacity(total)
        var groups: [Int32] = []
        groups.reserveCapacity(total)
        for (chunk, rowCount) in zip(chunks, rows) {
            let builder = chunk.texts[t]
            if let accounts = chunk.accounts, accounts.textReleased {
                var next = 0
                for row in 0..<rowCount {
                    if next < accounts.unknown.count && accounts.unknown[next].row == row {
                        text.bytes.append(contentsOf: accounts.unknown[next].name.utf8)
                        next += 1
                    }
                    text.ends.append(UInt32(text.bytes.count))
                }
                groups.append(contentsOf: accounts.groups)
                accounts.release()
            } else {
                let base = UInt32(text.bytes.count)
                for e in builder.ends.buffer { text.ends.append(e + base) }
                text.bytes.append(contentsOf: builder.bytes.buffer)
                groups.append(contentsOf: repeatElement(TableData.lookUpLater, count: rowCount))
            }
            builder.reset()
        }
        return (text, groups)
    }

    /// The parts' values back to back, in one array; `releasing` empties each part as soon
    /// as it is copied (its pages go under the values still to copy, see `ColumnBuffer.recycle`).
    static func concat<T: BitwiseCopyable>(_ parts: [RawBuffer<T>], total: Int, releasing: Bool = false) -> [T] {
        ColumnBuffer.array(count: total) { out in
            var o = 0
            for part in parts {
                if part.count > 0 { (out.baseAddress! + o).initialize(from: part.base, count: part.count) }
                o += part.count
                if releasing {
                    part.reset()
                    ColumnBuffer.recycle(out, from: o, memory: part.memory)
                }
            }
        }
    }

    /// The parts' cells back to back, in one text column; `releasing` empties each part as
    /// soon as it is copied.
    static func concatText(_ parts: [TextBuilder], total: Int, releasing: Bool = false) -> TextColumn {
        let byteCount = parts.reduce(0) { $0 + $1.bytes.count }
        let ends: [UInt32] = ColumnBuffer.array(count: total) { out in
            var o = 0
            var offset: UInt32 = 0
            for part in parts {
                for e in part.ends.buffer {
                    out[o] = e &+ offset
                    o += 1
                }
                offset &+= UInt32(truncatingIfNeeded: part.bytes.count)
                if releasing {
                    part.ends.reset()
                    ColumnBuffer.recycle(out, from: o, memory: part.ends.memory)
                }
            }
        }
        let bytes: [UInt8] = concat(parts.map(\.bytes), total: byteCount, releasing: releasing)
        return TextColumn(bytes: bytes, ends: ends)
    }

    static func filter<T>(_ values: [T], dropping dropped: [Int]) -> [T] {
        var out: [T] = []
        out.reserveCapacity(values.count - dropped.count)
        var d = 0
        for (i, v) in values.enumerated() {
            if d < dropped.count && dropped[d] == i {
                d += 1
                continue
            }
            out.append(v)
        }
        return out
    }

    static func filterText(_ column: TextColumn, dropping dropped: [Int]) -> TextColumn {
        var out = TextColumn()
        out.ends.reserveCapacity(column.count - dropped.count)
        out.bytes.reserveCapacity(column.bytes.count)
        var d = 0
        for row in 0..<column.count {
            if d < dropped.count && dropped[d] == row {
                d += 1
                continue
            }
            out.bytes.append(contentsOf: column.bytes[column.range(row)])
            out.ends.append(UInt32(out.bytes.count))
        }
        return out
    }
}

extension UnsafeBufferPointer where Element == UInt32 {
    @inline(__always) func rangeStart(_ row: Int) -> Int { row == 0 ? 0 : Int(self[row - 1]) }
    @inline(__always) func rangeCount(_ row: Int) -> Int { Int(self[row]) - rangeStart(row) }
}
