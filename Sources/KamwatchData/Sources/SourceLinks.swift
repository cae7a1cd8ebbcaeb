import Dispatch
import Foundation
import KamwatchVocabulary

extension SourcePlan {
    /// Resolves `link: name` columns once the accounts are read: a cell naming exactly one
    /// account (trimmed, case-insensitive) becomes its id. A name no account has, or two share,
    /// links nowhere: an `account_id` keeps the name (the row counts nowhere, as an unknown id
    /// does), a `parent_id` becomes absent. Each shared name is reported once. In a mapped
    /// accounts table, a parent equal to the account itself means no parent.
    public func resolveLinks(_ tables: inout [TableName: TableData]) -> [InputIssue] {
        guard let accounts = tables[.accounts] else { return [] }
        let schema = TableSchema.accounts
        let idColumn = accounts.column(schema.index(of: "account_id")!).textColumn ?? TextColumn()
        let nameColumn = accounts.column(schema.index(of: "name")!).textColumn ?? TextColumn()
        // Names compared by bytes when all of them, and all cells naming them, allow it.
        if var byBytes = NameTable(names: nameColumn) {
            byBytes.attach(ids: idColumn)
            if let issues = linkByBytes(&tables, byBytes, ids: idColumn) { return issues }
        }
        var byName: [String: Int] = [:]
        var shared: [String: [Int]] = [:]
        for row in 0..<nameColumn.count {
            guard let name = nameColumn[row] else { continue }
            let key = name.lowercased()
            if let first = byName[key] {
                shared[key, default: [first]].append(row)
            } else {
                byName[key] = row
            }
        }
        var issues: [InputIssue] = []
        var reported = Set<String>()
        for table in TableName.allCases {
            guard let block = self.tables[table], var data = tables[table] else { continue }
            let linked = block.linkedColumns
            let selfParent = table == .accounts
            if linked.isEmpty && !selfParent { continue }
            var columns = data.columns
            for name in linked {
                guard let slot = data.schema.index(of: name), case .text(let cells) = columns[slot] else { continue }
                let keepUnknown = name != "parent_id"
                var out = TextColumn()
                out.ends.reserveCapacity(cells.count)
                for row in 0..<cells.count {
                    guard let cell = cells[row] else {
                        out.appendAbsent()
                        continue
                    }
                    let key = cell.lowercased()
                    if let rows = shared[key] {
                        if reported.insert(key).inserted {
                            let source = data.source(ofRow: row)
                            let ids = rows.map { CellText.quoted(idColumn[$0] ?? "") }.joined(separator: ", ")
                            issues.append(
                                InputIssue(
                                    file: source.file, line: source.line,
                                    column: data.files.first { $0.name == source.file }?.header?.slotLabel[slot],
                                    reason:
                                        "the name \(CellText.quoted(cell)) is shared by the accounts \(ids): rows naming it link nowhere"
                                ))
                        }
                    } else if let target = byName[key], let id = idColumn[target] {
                        out.append(id.utf8)
                        continue
                    }
                    if keepUnknown { out.append(cell.utf8) } else { out.appendAbsent() }
                }
                columns[slot] = .text(out)
            }
            if selfParent, let parentSlot = schema.index(of: "parent_id"),
                case .text(let parents) = columns[parentSlot],
                case .text(let ids) = columns[schema.index(of: "account_id")!]
            {
                columns[parentSlot] = .text(TextColumn.parents(parents, withoutSelf: ids))
            }
            data.columns = columns
            tables[table] = data
        }
        return issues
    }

    /// The report of a name that several accounts share.
    private func sharedName(
        _ cell: String, rows: [Int], ids idColumn: TextColumn, data: TableData, row: Int, slot: Int
    ) -> InputIssue {
        let source = data.source(ofRow: row)
        let ids = rows.map { CellText.quoted(idColumn[$0] ?? "") }.joined(separator: ", ")
        return InputIssue(
            file: source.file, line: source.line,
            column: data.files.first { $0.name == source.file }?.header?.slotLabel[slot],
            reason: "the name \(CellText.quoted(cell)) is shared by the accounts \(ids): rows naming it link nowhere")
    }

    /// `resolveLinks` by bytes, each linked column in slices on every core; `nil` (and `tables`
    /// unchanged) when a linked cell is text `NameKey` cannot compare.
    private func linkByBytes(
        _ tables: inout [TableName: TableData], _ names: NameTable, ids: TextColumn
    ) -> [InputIssue]? {
        // Every cell checked first, so that each column can then be replaced as soon as it is
        // linked (the names it held freed at once).
        for table in TableName.allCases {
            guard let block = self.tables[table], let data = tables[table] else { continue }
            for name in block.linkedColumns {
                guard let slot = data.schema.index(of: name), case .text(let cells) = data.columns[slot] else {
                    continue
                }
                if !Self.comparable(cells) { return nil }
            }
        }
        var issues: [InputIssue] = []
        var reported = Set<Int>()
        for table in TableName.allCases {
            guard let block = self.tables[table], let data = tables[table] else { continue }
            for name in block.linkedColumns {
                guard let slot = data.schema.index(of: name), case .text(let cells) = data.columns[slot] else {
                    continue
                }
                guard let (column, hits) = Self.link(cells, names, ids: ids, keepUnknown: name != "parent_id") else {
                    return nil
                }
                for hit in hits where reported.insert(hit.entry).inserted {
                    let rows = names.rows(hit.entry)
                    issues.append(
                        sharedName(cells[hit.row]!, rows: rows, ids: ids, data: data, row: hit.row, slot: slot))
                }
                tables[table]!.columns[slot] = .text(column)
            }
        }
        if let parentSlot = TableSchema.accounts.index(of: "parent_id"), self.tables[.accounts] != nil,
            var data = tables[.accounts], case .text(let parents) = data.columns[parentSlot],
            case .text(let accountIDs) = data.columns[TableSchema.accounts.index(of: "account_id")!]
        {
            var out = TextColumn()
            for row in 0..<parents.count {
                let range = parents.range(row)
                if !range.isEmpty && parents.bytes[range].elementsEqual(accountIDs.bytes[accountIDs.range(row)]) {
                    out.appendAbsent()
                } else {
                    out.append(parents.bytes[range])
                }
            }
            data.columns[parentSlot] = .text(out)
            tables[.accounts] = data
        }
        return issues
    }

    /// Whether every cell of `cells` is text `NameKey` lower-cases (checked in slices on every core).
    private static func comparable(_ cells: TextColumn) -> Bool {
        let count = cells.count
        let slices = max(1, min(64, count / 32_768))
        final class Failed: @unchecked Sendable {
            // Unchecked Sendable: slice k writes only `flags[k]`; read once every job has finished.
            let flags: UnsafeMutableBufferPointer<Bool>
            init(_ n: Int) {
                flags = .allocate(capacity: n)
                flags.initialize(repeating: false)
            }
            deinit { flags.deallocate() }
        }
        let failed = Failed(slices)
        DispatchQueue.concurrentPerform(iterations: slices) { k in
            let scratch = KeyScratch()
            cells.bytes.withUnsafeBufferPointer { b in
                var previous = 0..<0
                for row in (count * k / slices)..<(count * (k + 1) / slices) {
                    let r = cells.range(row)
                    if r.isEmpty { continue }
                    let cell = b.baseAddress! + r.lowerBound
                    if r.count == previous.count && memEqual(b.baseAddress! + previous.lowerBound, cell, r.count) {
                        continue
                    }
                    previous = r
                    if !NameKey.lowercase(cell, r.count, into: scratch.reserve(r.count)) {
                        failed.flags[k] = true
                        return
                    }
                }
            }
        }
        return !failed.flags.contains(true)
    }

    /// A cell naming an account name that several accounts share.
    fileprivate struct SharedHit: Sendable {
        var row: Int
        var entry: Int
    }

    /// One linked column by bytes: each row's outcome found in slices on every core, then the
    /// column written in one pass (no copy of it per slice). The cells naming a shared name come
    /// in row order; `nil` when a cell is text `NameKey` cannot compare.
    private static func link(
        _ cells: TextColumn, _ names: NameTable, ids: TextColumn, keepUnknown: Bool
    ) -> (TextColumn, [SharedHit])? {
        let count = cells.count
        let slices = max(1, min(64, count / 32_768))
        /// Per row: the entry whose id it links to (>= 0), its own cell (-1) or nothing (-2).
        final class Outcomes: @unchecked Sendable {
            // Unchecked Sendable: slice k writes only its rows of `rows` and `hits[k]`, `failed[k]`;
            // all are read once every job has finished.
            let rows: UnsafeMutableBufferPointer<Int32>
            let hits: UnsafeMutableBufferPointer<[SharedHit]>
            let failed: UnsafeMutableBufferPointer<Bool>
            init(rows n: Int, slices: Int) {
                rows = .allocate(capacity: n)
                hits = .allocate(capacity: slices)
                hits.initialize(repeating: [])
                failed = .allocate(capacity: slices)
                failed.initialize(repeating: false)
            }
            deinit {
                rows.deallocate()
                hits.deinitialize()
                hits.deallocate()
                failed.deallocate()
            }
        }
        let outcomes = Outcomes(rows: count, slices: slices)
        let keep: Int32 = keepUnknown ? -1 : -2
        DispatchQueue.concurrentPerform(iterations: slices) { k in
            let scratch = KeyScratch()
            var hits: [SharedHit] = []
            cells.bytes.withUnsafeBufferPointer { b in
                // Rows naming the company of the row before (exports list a company's contacts
                // and deals together) reuse its outcome.
                var previous = 0..<0
                var outcome: Int32 = -2
                for row in (count * k / slices)..<(count * (k + 1) / slices) {
                    let r = cells.range(row)
                    if r.isEmpty {
                        outcomes.rows[row] = -2
                        continue
                    }
                    let cell = b.baseAddress! + r.lowerBound
                    if r.count == previous.count && memEqual(b.baseAddress! + previous.lowerBound, cell, r.count) {
                        outcomes.rows[row] = outcome
                        continue
                    }
                    previous = r
                    let key = scratch.reserve(r.count)
                    guard NameKey.lowercase(cell, r.count, into: key) else {
                        outcomes.failed[k] = true
                        return
                    }
                    outcome = keep
                    if let entry = names.find(key, r.count) {
                        if names.single(entry) != nil {
                            if !names.idRange(entry).isEmpty { outcome = Int32(truncatingIfNeeded: entry) }
                        } else {
                            hits.append(SharedHit(row: row, entry: entry))
                        }
                    }
                    outcomes.rows[row] = outcome
                }
            }
            outcomes.hits[k] = hits
        }
        if outcomes.failed.contains(true) { return nil }
        var size = 0
        for row in 0..<count {
            let o = outcomes.rows[row]
            size += o >= 0 ? names.idRange(Int(o)).count : o == -1 ? cells.range(row).count : 0
        }
        var column = TextColumn()
        column.ends.reserveCapacity(count)
        column.bytes.reserveCapacity(size)
        cells.bytes.withUnsafeBufferPointer { b in
            ids.bytes.withUnsafeBufferPointer { idBytes in
                for row in 0..<count {
                    let o = outcomes.rows[row]
                    if o >= 0 {
                        column.append(UnsafeBufferPointer(rebasing: idBytes[names.idRange(Int(o))]))
                    } else if o == -1 {
                        column.append(UnsafeBufferPointer(rebasing: b[cells.range(row)]))
                    } else {
                        column.appendAbsent()
                    }
                }
            }
        }
        return (column, outcomes.hits.flatMap { $0 })
    }
}

extension TextColumn {
    /// `parents` with each parent equal to its row's account id left out: in a mapped accounts
    /// table, an account naming itself as parent has none.
    static func parents(_ parents: TextColumn, withoutSelf ids: TextColumn) -> TextColumn {
        var out = TextColumn()
        for row in 0..<parents.count {
            let range = parents.range(row)
            if !range.isEmpty && parents.bytes[range].elementsEqual(ids.bytes[ids.range(row)]) {
                out.appendAbsent()
            } else {
                out.append(parents.bytes[range])
            }
        }
        return out
    }
}
