/// Sorts a table's rows by group (stable: file order within a group) into a `Table`.
enum Grouper {
    /// Groups `data` by the account its `account_id` names; rows naming no account are dropped
    /// and summarised in one issue per file.
    static func groupByAccount(
        _ data: inout TableData, linker: EntityLinker, accountCount: Int
    ) -> (
        table: Table, issues: [DataIssue]
    ) {
        let schema = data.schema
        let slot = schema.index(of: "account_id")!
        guard case .text(let names) = data.columns[slot] else { preconditionFailure("account_id is text") }
        let rows = data.rowCount
        var groups = [Int32](repeating: -1, count: rows)
        linker.index.withLookup { index in
            names.bytes.withUnsafeBufferPointer { bytes in
                names.ends.withUnsafeBufferPointer { ends in
                    groups.withUnsafeMutableBufferPointer { g in
                        guard let base = bytes.baseAddress else { return }
                        // Exports often list an account's rows together: reuse the last answer.
                        var previous = UnsafePointer<UInt8>(base)
                        var previousCount = -1
                        var previousGroup: Int32 = -1
                        for row in 0..<rows {
                            let p = base + ends.rangeStart(row)
                            let n = ends.rangeCount(row)
                            if n == previousCount && memEqual(p, previous, n) {
                                g[row] = previousGroup
                                continue
                            }
                            let found = index.find(p, n)
                            g[row] = found
                            previous = p
                            previousCount = n
                            previousGroup = found
                        }
                    }
                }
            }
        }
        // One summary per file of the rows that name no account.
        var issues: [DataIssue] = []
        for f in data.files.indices {
            var count = 0
            var first = -1
            for row in data.fileRowStarts[f]..<data.fileRowStarts[f + 1] where groups[row] < 0 {
                if first < 0 { first = row }
                count += 1
            }
            if count == 0 { continue }
            let label = data.files[f].header?.slotLabel[slot] ?? "account_id"
            let example = "line \(data.lines[first]), \(label) \(CellText.quoted(names[first] ?? ""))"
            let reason =
                count == 1
                ? "1 row names no known account (\(example))"
                : "\(count) rows name no known account (first: \(example))"
            issues.append(DataIssue(file: data.files[f].name, reason: reason))
        }
        return (group(&data, groups: &groups, groupCount: accountCount).table, issues)
    }

    /// Orders rows by `groups` (negative = dropped) into CSR form; takes `groups` (left empty)
    /// so that it is freed before the columns are copied.
    static func group(_ data: inout TableData, groups: inout [Int32], groupCount: Int) -> (table: Table, kept: Int) {
        var starts = [Int32](repeating: 0, count: groupCount + 1)
        var sorted = true
        var dropped = 0
        var previous: Int32 = -1
        for g in groups {
            if g < 0 {
                dropped += 1
                continue
            }
            starts[Int(g) + 1] += 1
            if g < previous { sorted = false }
            previous = g
        }
        for i in 0..<groupCount { starts[i + 1] += starts[i] }
        if sorted && dropped == 0 {
            // Already in group order (common for exports sorted by account): share the columns.
            let all = groups
            groups = []
            return (Table(schema: data.schema, columns: data.columns, group: all, groupStarts: starts), all.count)
        }
        let kept = groups.count - dropped
        let order: [Int32] = ColumnBuffer.array(count: kept) { order in
            var next = starts
            groups.withUnsafeBufferPointer { groups in
                for (row, g) in groups.enumerated() where g >= 0 {
                    order[Int(next[Int(g)])] = Int32(row)
                    next[Int(g)] += 1
                }
            }
        }
        groups = []
        let newGroups: [Int32] = ColumnBuffer.array(count: kept) { newGroups in
            for g in 0..<groupCount {
                for i in Int(starts[g])..<Int(starts[g + 1]) { newGroups[i] = Int32(g) }
            }
        }
        // Column by column, letting go of each source column once copied.
        var source = data.columns
        data.columns = []
        var columns: [Column] = []
        for i in source.indices {
            let column = source[i]
            source[i] = .number([])
            columns.append(gather(column, order))
        }
        return (Table(schema: data.schema, columns: columns, group: newGroups, groupStarts: starts), kept)
    }

    /// The cells of `column` at `order`.
    static func gather(_ column: Column, _ order: [Int32]) -> Column {
        switch column {
        case .number(let v): return .number(gather(v, order))
        case .date(let v): return .date(gather(v, order))
        case .text(let t):
            var total = 0
            t.ends.withUnsafeBufferPointer { ends in
                for row in order { total += ends.rangeCount(Int(row)) }
            }
            let ends: [UInt32] = ColumnBuffer.array(count: order.count) { out in
                t.ends.withUnsafeBufferPointer { ends in
                    var o = 0
                    for (i, row) in order.enumerated() {
                        o += ends.rangeCount(Int(row))
                        out[i] = UInt32(o)
                    }
                }
            }
            let bytes: [UInt8] = ColumnBuffer.array(count: total) { out in
                t.bytes.withUnsafeBufferPointer { src in
                    t.ends.withUnsafeBufferPointer { ends in
                        var o = 0
                        for row in order {
                            let s = ends.rangeStart(Int(row))
                            let n = ends.rangeCount(Int(row))
                            if n > 0 { (out.baseAddress! + o).initialize(from: src.baseAddress! + s, count: n) }
                            o += n
                        }
                    }
                }
            }
            return .text(TextColumn(bytes: bytes, ends: ends))
        }
    }

    static func gather<T: BitwiseCopyable>(_ values: [T], _ order: [Int32]) -> [T] {
        ColumnBuffer.array(count: order.count) { out in
            values.withUnsafeBufferPointer { v in
                for (i, row) in order.enumerated() { out[i] = v[Int(row)] }
            }
        }
    }
}
