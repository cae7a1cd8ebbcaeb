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
}
