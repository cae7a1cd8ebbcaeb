import KamwatchVocabulary
import Synchronization

/// The accounts' names, lower-cased, and their ids: by bytes (`NameTable`) when every name is
/// text `NameKey` compares, and by `String` (built when first needed) for the other names or
/// cells.
final class AccountNames: @unchecked Sendable {
    // Unchecked Sendable: `byName` is built once under its lock; the rest never changes.
    private let table: NameTable?
    private let names: TextColumn
    private let ids: TextColumn
    private let byName = Mutex<StringNames?>(nil)

    struct StringNames: Sendable {
        var first: [String: Int] = [:]
        var shared: [String: [Int]] = [:]
    }

    /// A row naming a shared name.
    struct Hit: Sendable {
        var row: Int
        var key: String
        var cell: String
        var accounts: [Int]
    }

    convenience init(_ accounts: TableData) {
        let schema = TableSchema.accounts
        self.init(
            names: accounts.column(schema.index(of: "name")!).textColumn ?? TextColumn(),
            ids: accounts.column(schema.index(of: "account_id")!).textColumn ?? TextColumn())
    }

    /// The accounts' names and ids, row by row.
    init(names: TextColumn, ids: TextColumn) {
        self.ids = ids
        self.names = names
        if var table = NameTable(names: names) {
            table.attach(ids: ids)
            self.table = table
        } else {
            self.table = nil
        }
    }

    /// The names by `String`, as `resolveLinks` compares them.
    private func stringNames() -> StringNames {
        byName.withLock { built in
            if let built { return built }
            var s = StringNames()
            for row in 0..<names.count {
                guard let name = names[row] else { continue }
                let key = name.lowercased()
                if let first = s.first[key] {
                    s.shared[key, default: [first]].append(row)
                } else {
                    s.first[key] = row
                }
            }
            built = s
            return s
        }
    }

    /// A whole column resolved, with the reports of the shared names it names.
    func resolve(
        _ cells: TextColumn, keepUnknown: Bool, table: TableData, slot: Int
    ) -> (TextColumn, [SourceLinking.SharedName]) {
        let out = TextBuilder()
        var hits: [Hit] = []
        cells.bytes.withUnsafeBufferPointer { b in
            cells.ends.withUnsafeBufferPointer { e in
                guard let ends = e.baseAddress else { return }
                let base = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                if !resolveByBytes(
                    base, ends, count: cells.count, keepUnknown: keepUnknown, into: out, hits: &hits, rowBase: 0)
                {
                    out.reset()
                    hits = []
                    resolveByName(
                        base, ends, count: cells.count, keepUnknown: keepUnknown, into: out, hits: &hits, rowBase: 0)
                }
            }
        }
        let column = TableReader.concatText([out], total: out.count, releasing: true)
        return (column, reports(hits, table: table, slot: slot))
    }

    /// The cells `bytes`/`ends` (as in `TextColumn`) resolved into `out` by bytes; `false`
    /// when the names or a cell are text `NameKey` cannot compare. Rows are taken 32 at a time:
    /// their names lower-cased and hashed, then looked up together (`NameTable.find(batch:)`).
    func resolveByBytes(
        _ bytes: UnsafePointer<UInt8>, _ ends: UnsafePointer<UInt32>, count: Int, keepUnknown: Bool,
        into out: TextBuilder, hits: inout [Hit], rowBase: Int
    ) -> Bool {
        guard let table else { return false }
        out.ends.reserve(count)
        let block = 32
        let scratch = KeyScratch()
        // Per row of a block: -2 empty, -1 the same name as the row before, else its lookup.
        let kind = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: block)
        let found = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: block)
        defer {
            for p in [kind, offsets, counts, found] { p.deallocate() }
            hashes.deallocate()
            words.deallocate()
        }
        return ids.bytes.withUnsafeBufferPointer { idBytes -> Bool in
            let idBase = idBytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
            // Rows naming the company of the row before (exports list a company's contacts and
            // deals together) reuse its outcome.
            var previousStart = 0
            var previousCount = -1
            /// The id of the last outcome (count -1: the cell itself; -2: nothing).
            var outStart = 0
            var outCount = -2
            var row = 0
            while row < count {
                let blockEnd = min(row + block, count)
                let first = row == 0 ? 0 : Int(ends[row - 1])
                let keys = scratch.reserve(max(Int(ends[blockEnd - 1]) - first, 1))
                var m = 0
                var used = 0
                var start = first
                for r in row..<blockEnd {
                    let end = Int(ends[r])
                    let n = end - start
                    if n == 0 {
                        kind[r - row] = -2
                    } else if n == previousCount && memEqual(bytes + previousStart, bytes + start, n) {
                        kind[r - row] = -1
                    } else {
                        guard NameKey.lowercase(bytes + start, n, into: keys + used) else { return false }
                        offsets[m] = used
                        counts[m] = n
                        hashes[m] = ByteHash.hash(keys + used, n)
                        kind[r - row] = m
                        m += 1
                        used += n
                        previousStart = start
                        previousCount = n
                    }
                    start = end
                }
                table.find(
                    batch: m, keys: keys, offsets: offsets, counts: counts, hashes: hashes, into: found, words: words)
                start = first
                for r in row..<blockEnd {
                    let end = Int(ends[r])
                    let n = end - start
                    let cell = bytes + start
                    start = end
                    let k = kind[r - row]
                    if k == -2 {
                        out.appendAbsent()
                        continue
                    }
                    if k >= 0 {
                        outCount = keepUnknown ? -1 : -2
                        let entry = found[k]
                        if entry >= 0 {
                            if table.single(entry) != nil {
                                let range = table.idRange(entry)
                                if !range.isEmpty {
                                    outStart = range.lowerBound
                                    outCount = range.count
                                }
                            } else {
                                hits.append(
                                    Hit(
                                        row: rowBase + r, key: table.key(entry),
                                        cell: String(
                                            decoding: UnsafeBufferPointer(start: cell, count: n), as: UTF8.self),
                                        accounts: table.rows(entry)))
                            }
                        }
                    }
                    if outCount >= 0 {
                        out.append(idBase + outStart, outCount)
                    } else if outCount == -1 {
                        out.append(cell, n)
                    } else {
                        out.appendAbsent()
                    }
                }
                row = blockEnd
            }
            return true
        }
    }

    /// `resolveByBytes` by `String`s, as `resolveLinks` does it for text `NameKey` cannot compare.
    func resolveByName(
        _ bytes: UnsafePointer<UInt8>, _ ends: UnsafePointer<UInt32>, count: Int, keepUnknown: Bool,
        into out: TextBuilder, hits: inout [Hit], rowBase: Int
    ) {
        let names = stringNames()
        var start = 0
        for row in 0..<count {
            let end = Int(ends[row])
            defer { start = end }
            let n = end - start
            if n == 0 {
                out.appendAbsent()
                continue
            }
            let cell = UnsafeBufferPointer(start: bytes + start, count: n)
            let key = String(decoding: cell, as: UTF8.self).lowercased()
            if let rows = names.shared[key] {
                hits.append(
                    Hit(row: rowBase + row, key: key, cell: String(decoding: cell, as: UTF8.self), accounts: rows))
            } else if let target = names.first[key], case let r = ids.range(target), !r.isEmpty {
                ids.bytes.withUnsafeBufferPointer { out.append($0.baseAddress! + r.lowerBound, r.count) }
                continue
            }
            if keepUnknown { out.append(cell.baseAddress!, n) } else { out.appendAbsent() }
        }
    }

    /// A chunk's cells resolved in place (by bytes, else by `String`); the rows (in the chunk)
    /// naming shared names.
    func resolve(_ cells: TextBuilder, keepUnknown: Bool) -> [Hit] {
        let out = TextBuilder()
        var hits: [Hit] = []
        if !resolveByBytes(
            cells.bytes.base, cells.ends.base, count: cells.count, keepUnknown: keepUnknown, into: out, hits: &hits,
            rowBase: 0)
        {
            out.reset()
            hits = []
            resolveByName(
                cells.bytes.base, cells.ends.base, count: cells.count, keepUnknown: keepUnknown, into: out,
                hits: &hits, rowBase: 0)
        }
        cells.replace(with: out)
        return hits
    }

    /// The first row naming each shared name among `hits`, with its report.
    func reports(_ hits: [Hit], table data: TableData, slot: Int) -> [SourceLinking.SharedName] {
        var seen = Set<String>()
        var out: [SourceLinking.SharedName] = []
        for hit in hits.sorted(by: { $0.row < $1.row }) where seen.insert(hit.key).inserted {
            out.append(report(hit, row: hit.row, table: data, slot: slot))
        }
        return out
    }

    /// The report of `row` of `data`, naming a shared name.
    func report(_ hit: Hit, row: Int, table data: TableData, slot: Int) -> SourceLinking.SharedName {
        let source = data.source(ofRow: row)
        let list = hit.accounts.map { CellText.quoted(ids[$0] ?? "") }.joined(separator: ", ")
        let issue = InputIssue(
            file: source.file, line: source.line,
            column: data.files.first { $0.name == source.file }?.header?.slotLabel[slot],
            reason:
                "the name \(CellText.quoted(hit.cell)) is shared by the accounts \(list): rows naming it link nowhere")
        return SourceLinking.SharedName(row: row, key: hit.key, issue: issue)
    }
}
