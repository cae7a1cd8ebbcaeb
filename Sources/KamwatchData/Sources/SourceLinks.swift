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
        let byBytes = nameTable(names: nameColumn, tables: tables)
        var byName: [String: Int] = [:]
        var shared: [String: [Int]] = [:]
        for row in 0..<nameColumn.count where byBytes == nil {
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
        var reportedEntries = Set<Int>()
        let scratch = KeyScratch()
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
                    if let byBytes {
                        let r = cells.range(row)
                        if r.isEmpty {
                            out.appendAbsent()
                            continue
                        }
                        let key = scratch.reserve(r.count)
                        let entry = cells.bytes.withUnsafeBufferPointer { b -> Int? in
                            _ = NameKey.lowercase(b.baseAddress! + r.lowerBound, r.count, into: key)
                            return byBytes.find(key, r.count)
                        }
                        if let entry {
                            let rows = byBytes.rows[entry]
                            if rows.count == 1 {
                                let id = idColumn.range(rows[0])
                                if !id.isEmpty {
                                    out.append(idColumn.bytes[id])
                                    continue
                                }
                            } else if reportedEntries.insert(entry).inserted {
                                issues.append(
                                    sharedName(cells[row]!, rows: rows, ids: idColumn, data: data, row: row, slot: slot)
                                )
                            }
                        }
                        if keepUnknown { out.append(cells.bytes[r]) } else { out.appendAbsent() }
                        continue
                    }
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

    /// The account names by bytes (`NameKey`), or `nil` when a name, or a cell of a linked
    /// column, is text they cannot be compared in.
    private func nameTable(names: TextColumn, tables: [TableName: TableData]) -> NameTable? {
        let scratch = KeyScratch()
        func simple(_ column: TextColumn, _ row: Int) -> Bool {
            let r = column.range(row)
            if r.isEmpty { return true }
            let key = scratch.reserve(r.count)
            return column.bytes.withUnsafeBufferPointer {
                NameKey.lowercase($0.baseAddress! + r.lowerBound, r.count, into: key)
            }
        }
        for table in TableName.allCases {
            guard let block = self.tables[table], let data = tables[table] else { continue }
            for name in block.linkedColumns {
                guard let slot = data.schema.index(of: name), case .text(let cells) = data.columns[slot] else {
                    continue
                }
                for row in 0..<cells.count where !simple(cells, row) { return nil }
            }
        }
        var table = NameTable(capacity: names.count)
        for row in 0..<names.count where !names.range(row).isEmpty {
            guard simple(names, row) else { return nil }
            table.add(scratch.base, names.range(row).count, row: row)
        }
        return table
    }
}
