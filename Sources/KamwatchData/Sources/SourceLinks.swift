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
        if var byBytes = nameTable(names: nameColumn) {
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
                var out = TextColumn()
                for row in 0..<parents.count {
                    let range = parents.range(row)
                    if !range.isEmpty && parents.bytes[range].elementsEqual(ids.bytes[ids.range(row)]) {
                        out.appendAbsent()
                    } else {
                        out.append(parents.bytes[range])
                    }
                }
                columns[parentSlot] = .text(out)
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

    /// The account names by bytes (`NameKey`), or `nil` when a name is text they cannot be
    /// compared in.
    private func nameTable(names: TextColumn) -> NameTable? {
        let scratch = KeyScratch()
        var table = NameTable(capacity: names.count)
        let ok = names.bytes.withUnsafeBufferPointer { b -> Bool in
            for row in 0..<names.count {
                let r = names.range(row)
                if r.isEmpty { continue }
                let key = scratch.reserve(r.count)
                guard NameKey.lowercase(b.baseAddress! + r.lowerBound, r.count, into: key) else { return false }
                table.add(key, r.count, row: row)
            }
            return true
        }
        return ok ? table : nil
    }

    /// `resolveLinks` by bytes, each linked column in slices on every core; `nil` (and `tables`
    /// unchanged) when a linked cell is text `NameKey` cannot compare.
    private func linkByBytes(
        _ tables: inout [TableName: TableData], _ names: NameTable, ids: TextColumn
    ) -> [InputIssue]? {
        var changed: [(TableName, Int, TextColumn)] = []
        var shared: [(TableName, Int, [SharedHit])] = []
        for table in TableName.allCases {
            guard let block = self.tables[table], let data = tables[table] else { continue }
            for name in block.linkedColumns {
                guard let slot = data.schema.index(of: name), case .text(let cells) = data.columns[slot] else {
                    continue
                }
                guard let (column, hits) = Self.link(cells, names, ids: ids, keepUnknown: name != "parent_id") else {
                    return nil
                }
                changed.append((table, slot, column))
                shared.append((table, slot, hits))
            }
        }
        var issues: [InputIssue] = []
        var reported = Set<Int>()
        for (table, slot, hits) in shared {
            guard let data = tables[table], case .text(let cells) = data.columns[slot] else { continue }
            for hit in hits where reported.insert(hit.entry).inserted {
                let rows = names.rows[hit.entry]
                issues.append(sharedName(cells[hit.row]!, rows: rows, ids: ids, data: data, row: hit.row, slot: slot))
            }
        }
        for (table, slot, column) in changed { tables[table]!.columns[slot] = .text(column) }
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

    /// A cell naming an account name that several accounts share.
    fileprivate struct SharedHit: Sendable {
        var row: Int
        var entry: Int
    }

    /// One linked column by bytes, in slices on every core: the linked column and the cells
    /// naming a shared name, in row order; `nil` when a cell is text `NameKey` cannot compare.
    private static func link(
        _ cells: TextColumn, _ names: NameTable, ids: TextColumn, keepUnknown: Bool
    ) -> (TextColumn, [SharedHit])? {
        let count = cells.count
        let slices = max(1, min(64, count / 32_768))
        final class Results: @unchecked Sendable {
            // Unchecked Sendable: slice k is written only by the job of slice k, and read once
            // every job has finished.
            let parts: UnsafeMutableBufferPointer<(TextColumn, [SharedHit])?>
            init(_ n: Int) {
                parts = .allocate(capacity: n)
                parts.initialize(repeating: nil)
            }
            deinit {
                parts.deinitialize()
                parts.deallocate()
            }
        }
        let results = Results(slices)
        DispatchQueue.concurrentPerform(iterations: slices) { k in
            let rows = (count * k / slices)..<(count * (k + 1) / slices)
            let scratch = KeyScratch()
            var out = TextColumn()
            out.ends.reserveCapacity(rows.count)
            var hits: [SharedHit] = []
            let ok = cells.bytes.withUnsafeBufferPointer { b -> Bool in
                ids.bytes.withUnsafeBufferPointer { idBytes -> Bool in
                    // Rows naming the company of the row before (exports list a company's
                    // contacts and deals together) reuse its outcome.
                    var previous = 0..<0
                    var outcome = 0..<0
                    var outcomeIsID = false
                    for row in rows {
                        let r = cells.range(row)
                        if r.isEmpty {
                            out.appendAbsent()
                            continue
                        }
                        let cell = b.baseAddress! + r.lowerBound
                        if r.count == previous.count && memEqual(b.baseAddress! + previous.lowerBound, cell, r.count) {
                            out.append(UnsafeBufferPointer(rebasing: (outcomeIsID ? idBytes : b)[outcome]))
                            continue
                        }
                        previous = r
                        let key = scratch.reserve(r.count)
                        guard NameKey.lowercase(cell, r.count, into: key) else { return false }
                        if let entry = names.find(key, r.count) {
                            if names.single(entry) != nil {
                                let id = names.idRange(entry)
                                if !id.isEmpty {
                                    out.append(UnsafeBufferPointer(rebasing: idBytes[id]))
                                    outcome = id
                                    outcomeIsID = true
                                    continue
                                }
                            } else {
                                hits.append(SharedHit(row: row, entry: entry))
                            }
                        }
                        outcome = keepUnknown ? r : 0..<0
                        outcomeIsID = false
                        out.append(UnsafeBufferPointer(rebasing: b[outcome]))
                    }
                    return true
                }
            }
            results.parts[k] = ok ? (out, hits) : nil
        }
        var column = TextColumn()
        column.ends.reserveCapacity(count)
        var hits: [SharedHit] = []
        for part in results.parts {
            guard let (out, partHits) = part else { return nil }
            let base = UInt32(truncatingIfNeeded: column.bytes.count)
            column.bytes.append(contentsOf: out.bytes)
            column.ends.append(contentsOf: out.ends.lazy.map { $0 &+ base })
            hits += partHits
        }
        return (column, hits)
    }
}
