/// Sorts a table's rows by group (stable: file order within a group) into a `Table`.
enum Grouper {
    /// Groups `data` by the account its `account_id` names; rows naming no account are dropped
    /// and summarised in one issue per file.
    static func groupByAccount(
        _ data: inout TableData, linker: EntityLinker, accountCount: Int
    ) -> (
        table: Table, issues: [DataIssue]
    ) {
        var (groups, issues) = accountGroups(data, linker: linker)
        // Lines only served the summary above: let them go before the columns are copied.
        data.lines = []
        return (group(&data, groups: &groups, groupCount: accountCount).table, issues)
    }

    /// The account index each row names (-1: none), and one issue per file summarising the
    /// rows that name no account. Holds the account_id column only while it runs.
    private static func accountGroups(_ data: TableData, linker: EntityLinker) -> ([Int32], [DataIssue]) {
        let schema = data.schema
        let slot = schema.index(of: "account_id")!
        guard case .text(let names) = data.column(slot) else { preconditionFailure("account_id is text") }
        let rows = data.rowCount
        var groups: [Int32] = ColumnBuffer.array(count: rows) { $0.initialize(repeating: -1) }
        linker.index.withLookup { index in
            names.bytes.withUnsafeBufferPointer { bytes in
                names.ends.withUnsafeBufferPointer { ends in
                    groups.withUnsafeMutableBufferPointer { g in
                        guard let base = bytes.baseAddress else { return }
                        // Exports often list an account's rows together: reuse the last answer.
                        var previous = UnsafePointer<UInt8>(base)
                        var previousCount = -1
                        var previousGroup: Int32 = -1
                        var nearFailures = 0
                        for row in 0..<rows {
                            let p = base + ends.rangeStart(row)
                            let n = ends.rangeCount(row)
                            if n == previousCount && memEqual(p, previous, n) {
                                g[row] = previousGroup
                                continue
                            }
                            // Exports sorted by account name the next accounts in file order: try a
                            // few of those (sequential memory) before the hash (a cache miss).
                            // In a file in no such order every try costs cache misses: after a few
                            // failures in a row, try only now and then.
                            var found: Int32 = -1
                            if previousGroup >= 0 && (nearFailures < 4 || row & 63 == 0) {
                                found = index.near(after: Int(previousGroup), p, n)
                                nearFailures = found >= 0 ? 0 : nearFailures + 1
                            }
                            if found < 0 { found = index.find(p, n) }
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
        return (groups, issues)
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
        // The sole owner of chunk pieces copies cells straight from them (see `PendingColumns`).
        let fromPieces = isKnownUniquelyReferenced(&data.pending)
        let pieceStarts = fromPieces ? data.pending!.pieceStarts : [0, groups.count]
        var pieceOfOrder: [UInt16] = []
        let order: [Int32] = ColumnBuffer.array(count: kept) { order in
            var next = starts
            groups.withUnsafeBufferPointer { groups in
                if fromPieces {
                    pieceOfOrder = ColumnBuffer.array(count: kept) { pieceOf in
                        var p = 0
                        for (row, g) in groups.enumerated() {
                            while row >= pieceStarts[p + 1] { p += 1 }
                            if g < 0 { continue }
                            let at = Int(next[Int(g)])
                            order[at] = Int32(row)
                            pieceOf[at] = UInt16(truncatingIfNeeded: p)
                            next[Int(g)] += 1
                        }
                    }
                } else {
                    for (row, g) in groups.enumerated() where g >= 0 {
                        order[Int(next[Int(g)])] = Int32(row)
                        next[Int(g)] += 1
                    }
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
        var source = data.storedColumns
        let pending = data.pending
        data.columns = []
        var columns: [Column] = []
        for i in source.indices {
            if let pending, pending.holds(i) {
                if fromPieces && pending.inPieces(i) {
                    columns.append(gather(pending, slot: i, order, pieceOfOrder))
                } else {
                    columns.append(gather(pending.column(i), order))
                }
                if fromPieces { pending.release(i) }
                continue
            }
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

    /// The cells of a pending column at `order`, row `order[i]` being in piece `pieceOf[i]`.
    static func gather(_ pending: PendingColumns, slot: Int, _ order: [Int32], _ pieceOf: [UInt16]) -> Column {
        let starts = pending.pieceStarts
        let pieces = pending.pieces
        switch pending.layout.places[slot] {
        case .number(let k):
            return .number(gather(pieces.map { $0.numbers[k].base }, starts, order, pieceOf))
        case .date(let k):
            return .date(gather(pieces.map { $0.dates[k].base }, starts, order, pieceOf))
        case .text(let t, _):
            let texts = pieces.map { $0.texts[t] }
            let ends = texts.map { UnsafePointer($0.ends.base) }
            let bytes = texts.map { UnsafePointer($0.bytes.base) }
            var total = 0
            let outEnds: [UInt32] = ColumnBuffer.array(count: order.count) { out in
                for i in 0..<order.count {
                    let p = Int(pieceOf[i])
                    let local = Int(order[i]) - starts[p]
                    let e = ends[p]
                    total += Int(e[local]) - (local == 0 ? 0 : Int(e[local - 1]))
                    out[i] = UInt32(truncatingIfNeeded: total)
                }
            }
            let outBytes: [UInt8] = ColumnBuffer.array(count: total) { out in
                var o = 0
                for i in 0..<order.count {
                    let p = Int(pieceOf[i])
                    let local = Int(order[i]) - starts[p]
                    let e = ends[p]
                    let s = local == 0 ? 0 : Int(e[local - 1])
                    let n = Int(e[local]) - s
                    if n > 0 { (out.baseAddress! + o).initialize(from: bytes[p] + s, count: n) }
                    o += n
                }
            }
            return .text(TextColumn(bytes: outBytes, ends: outEnds))
        }
    }

    static func gather<T: BitwiseCopyable>(
        _ bases: [UnsafeMutablePointer<T>], _ starts: [Int], _ order: [Int32], _ pieceOf: [UInt16]
    ) -> [T] {
        ColumnBuffer.array(count: order.count) { out in
            for i in 0..<order.count {
                let p = Int(pieceOf[i])
                out[i] = bases[p][Int(order[i]) - starts[p]]
            }
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
