import KamwatchVocabulary

/// Sorts a table's rows by group (stable: file order within a group) into a `Table`.
///
/// The work comes in steps that `BookBuilder` spreads over the cores: look up each row's
/// account (`lookUp`, per chunk), plan where each row goes (`plan`), then copy each column
/// into that order (`column`), every column on its own.
enum Grouper {
    /// Where each row goes once the table is sorted by group.
    struct Plan: Sendable {
        /// CSR offsets: `groupCount + 1` entries.
        var starts: [Int32]
        /// Rows kept (those in a group).
        var kept: Int
        /// Source row of each row in the new order; `nil` when every row stays where it is. With
        /// `pieceBits`, each entry names the piece (chunk) holding the row above its low
        /// `pieceBits` bits, and the row within that piece in them: the cells are copied straight
        /// from the pieces (`pieceStarts`: first row of each, then the row count).
        var order: [Int32]?
        var pieceBits: Int?
        var pieceStarts: [Int] = []

        /// `order` as rows numbered across pieces.
        func rows() -> [Int32]? {
            guard let order, let bits = pieceBits else { return order }
            let mask = (1 << bits) - 1
            return ColumnBuffer.array(count: order.count) { out in
                pieceStarts.withUnsafeBufferPointer { starts in
                    for (i, o) in order.enumerated() {
                        out[i] = Int32(truncatingIfNeeded: starts[Int(o) &>> bits] + Int(o) & mask)
                    }
                }
            }
        }
    }

    /// Writes the account index of each row of piece `p` of `cells` (-1: none) to
    /// `groups[row]`, rows numbered across pieces.
    static func lookUp(
        _ cells: TextSegments, piece p: Int, _ index: AccountIndex.Lookup, into groups: UnsafeMutablePointer<Int32>
    ) {
        if let shape = index.shape {
            // Account ids by number: one load per row.
            let e = cells.ends[p]
            let b = cells.bytes[p]
            let rows = cells.starts[p + 1] - cells.starts[p]
            let out = groups + cells.starts[p]
            var start = 0
            for local in 0..<rows {
                let end = Int(e[local])
                out[local] = index.findNumbered(shape, b + start, end - start)
                start = end
            }
            return
        }
        // Exports often list an account's rows together: reuse the last answer.
        var previous = UnsafePointer<UInt8>(bitPattern: 1)!
        var previousCount = -1
        var previousGroup: Int32 = -1
        var nearFailures = 0
        let first = cells.starts[p]
        for local in 0..<(cells.starts[p + 1] - first) {
            let (s, n) = cells.cell(local: local, inPiece: p)
            let row = first + local
            if n == previousCount && memEqual(s, previous, n) {
                groups[row] = previousGroup
                continue
            }
            // Exports sorted by account name the next accounts in file order: try a few of
            // those (sequential memory) before the hash (a cache miss). In a file in no such
            // order every try costs cache misses: after a few failures in a row, try only now
            // and then.
            var found: Int32 = -1
            if previousGroup >= 0 && (nearFailures < 4 || row & 63 == 0) {
                found = index.near(after: Int(previousGroup), s, n)
                nearFailures = found == -1 ? nearFailures + 1 : 0
            }
            if found == -1 { found = index.find(s, n) }
            if found < 0 { found = -1 }
            groups[row] = found
            previous = s
            previousCount = n
            previousGroup = found
        }
    }

    /// One issue per file summarising the rows that name no account (`groups` -1).
    static func unknownAccounts(
        _ data: TableData, _ groups: UnsafeBufferPointer<Int32>, slot: Int, names: TextSegments,
        lookedUp: [ChunkAccounts?] = []
    ) -> [InputIssue] {
        var issues: [InputIssue] = []
        for f in data.files.indices {
            var count = 0
            var first = -1
            for row in data.fileRowStarts[f]..<data.fileRowStarts[f + 1] where groups[row] < 0 {
                if first < 0 { first = row }
                count += 1
            }
            if count == 0 { continue }
            let label = data.files[f].header?.slotLabel[slot] ?? "account_id"
            let name: String
            let piece = names.piece(of: first)
            if piece < lookedUp.count, let accounts = lookedUp[piece] {
                // Looked up while decoding: the id text may be gone, the chunk kept this one.
                guard let unknown = accounts.firstUnknown, unknown.row == first - names.starts[piece] else {
                    preconditionFailure("first unknown account of a chunk")
                }
                name = unknown.name
            } else {
                let (p, n) = names.cell(first)
                name = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
            }
            let example = "line \(data.lines[first]), \(label) \(CellText.quoted(name))"
            let reason =
                count == 1
                ? "1 row names no known account (\(example))"
                : "\(count) rows name no known account (first: \(example))"
            issues.append(InputIssue(file: data.files[f].name, reason: reason))
        }
        return issues
    }

    /// Orders rows by `groups` (negative = dropped) into CSR form, on the calling thread; takes
    /// `groups` (left empty) so that it is freed before the columns are copied.
    static func group(_ data: inout TableData, groups: inout [Int32], groupCount: Int) -> (table: Table, kept: Int) {
        let fromPieces = isKnownUniquelyReferenced(&data.pending)
        let plan = groups.withUnsafeBufferPointer {
            Grouper.plan($0, groupCount: groupCount, pieceStarts: fromPieces ? data.pending!.pieceStarts : nil)
        }
        groups = []
        var source = data.storedColumns
        let pending = data.pending
        data.columns = []
        var columns: [Column] = []
        for slot in source.indices {
            let stored = source[slot]
            source[slot] = .number([])
            columns.append(column(slot, stored: stored, pending: pending, soleOwner: fromPieces, plan: plan))
        }
        return (Table(schema: data.schema, columns: columns, groupStarts: plan.starts), plan.kept)
    }

    /// Plans the order of rows by `groups` (negative = dropped). `pieceStarts` (first row of
    /// each piece, then the row count) asks for entries naming the piece and the row within it
    /// (`Plan.pieceBits`), when they fit: one array written per row, read back per column.
    static func plan(_ groups: UnsafeBufferPointer<Int32>, groupCount: Int, pieceStarts: [Int]?) -> Plan {
        var starts = [Int32](repeating: 0, count: groupCount + 1)
        var sorted = true
        var dropped = 0
        var previous: Int32 = -1
        // Through a pointer: no uniqueness check of the array per row.
        starts.withUnsafeMutableBufferPointer { starts in
            for g in groups {
                if g < 0 {
                    dropped += 1
                    continue
                }
                precondition(Int(g) < groupCount, "group outside the table's groups")
                starts[Int(g) + 1] += 1
                if g < previous { sorted = false }
                previous = g
            }
        }
        if sorted && dropped == 0 {
            // Already in group order (common for exports sorted by account).
            starts.withUnsafeMutableBufferPointer { starts in
                for i in 0..<groupCount { starts[i + 1] += starts[i] }
            }
            return Plan(starts: starts, kept: groups.count, order: nil)
        }
        let kept = groups.count - dropped
        let bits = pieceStarts.flatMap(pieceBits)
        // `starts[g + 1]` becomes where group g begins, and moves on as its rows are placed: it
        // ends where the group ends, as `Plan.starts` says, without a copy of the array to place by.
        starts.withUnsafeMutableBufferPointer { starts in
            var begin: Int32 = 0
            for g in 0..<groupCount {
                let count = starts[g + 1]
                starts[g + 1] = begin
                begin += count
            }
        }
        let order: [Int32] = ColumnBuffer.array(count: kept) { order in
            starts.withUnsafeMutableBufferPointer { starts in
                let next = UnsafeMutableBufferPointer(rebasing: starts[1...])
                // Every `g` was counted above: `next[g]` stays below the group's end, <= `kept`.
                if let bits, let pieceStarts {
                    pieceStarts.withUnsafeBufferPointer { pieceStarts in
                        var row = 0
                        for p in 0..<(pieceStarts.count - 1) {
                            let piece = p &<< bits
                            let first = pieceStarts[p]
                            while row < pieceStarts[p + 1] {
                                let g = groups[row]
                                if g >= 0 {
                                    order[Int(next[Int(g)])] = Int32(truncatingIfNeeded: piece | (row - first))
                                    next[Int(g)] += 1
                                }
                                row += 1
                            }
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
        return Plan(starts: starts, kept: kept, order: order, pieceBits: bits, pieceStarts: pieceStarts ?? [])
    }

    /// The low bits that hold the row within its piece when an entry of `Plan.order` names both
    /// (the rows of the widest piece fit them, the last piece's number the bits above, up to 31
    /// in all); `nil` when they do not fit. `pieceStarts`: first row of each piece, then the row count.
    static func pieceBits(_ pieceStarts: [Int]) -> Int? {
        guard pieceStarts.count > 1 else { return nil }
        var widest = 0
        for p in 0..<(pieceStarts.count - 1) { widest = max(widest, pieceStarts[p + 1] - pieceStarts[p]) }
        let localBits = max(Int.bitWidth - widest.leadingZeroBitCount, 1)
        guard localBits < 31, (pieceStarts.count - 2) >> (31 - localBits) == 0 else { return nil }
        return localBits
    }

    /// Column `slot` in the order of `plan`. A sole owner copies cells straight from the
    /// pieces still pending and lets them go; otherwise the column is `stored`, or concatenated
    /// from `pending` (and kept there for other owners).
    static func column(_ slot: Int, stored: Column, pending: PendingColumns?, soleOwner: Bool, plan: Plan) -> Column {
        if let pending, pending.holds(slot) {
            if soleOwner {
                guard let order = plan.order else { return pending.take(slot) }
                if let bits = plan.pieceBits, pending.inPieces(slot) {
                    let column = gather(pending, slot: slot, order, pieceBits: bits)
                    pending.release(slot)
                    return column
                }
                let column = gather(pending.take(slot), plan.rows()!)
                return column
            }
            return plan.rows().map { gather(pending.column(slot), $0) } ?? pending.column(slot)
        }
        return plan.rows().map { gather(stored, $0) } ?? stored
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

    /// The cells of a pending column at `order`, each entry the piece above its low `pieceBits`
    /// bits and the row within it in them.
    static func gather(_ pending: PendingColumns, slot: Int, _ order: [Int32], pieceBits bits: Int) -> Column {
        let pieces = pending.pieces
        let mask = (1 << bits) - 1
        switch pending.layout.places[slot] {
        case .number(let k):
            return .number(gather(pieces.map { $0.numbers[k].base }, order, pieceBits: bits))
        case .date(let k):
            return .date(gather(pieces.map { $0.dates[k].base }, order, pieceBits: bits))
        case .text(let t, _):
            let texts = pieces.map { $0.texts[t] }
            let ends = texts.map { UnsafePointer($0.ends.base) }
            let bytes = texts.map { UnsafePointer($0.bytes.base) }
            var total = 0
            let outEnds: [UInt32] = ColumnBuffer.array(count: order.count) { out in
                for i in 0..<order.count {
                    let o = Int(order[i])
                    let local = o & mask
                    let e = ends[o &>> bits]
                    total += Int(e[local]) - (local == 0 ? 0 : Int(e[local - 1]))
                    out[i] = UInt32(truncatingIfNeeded: total)
                }
            }
            let outBytes: [UInt8] = ColumnBuffer.array(count: total) { out in
                var at = 0
                for i in 0..<order.count {
                    let o = Int(order[i])
                    let local = o & mask
                    let e = ends[o &>> bits]
                    let s = local == 0 ? 0 : Int(e[local - 1])
                    let n = Int(e[local]) - s
                    if n > 0 { (out.baseAddress! + at).initialize(from: bytes[o &>> bits] + s, count: n) }
                    at += n
                }
            }
            return .text(TextColumn(bytes: outBytes, ends: outEnds))
        }
    }

    static func gather<T: BitwiseCopyable>(
        _ bases: [UnsafeMutablePointer<T>], _ order: [Int32], pieceBits bits: Int
    ) -> [T] {
        let mask = (1 << bits) - 1
        return ColumnBuffer.array(count: order.count) { out in
            bases.withUnsafeBufferPointer { bases in
                order.withUnsafeBufferPointer { order in
                    for i in 0..<order.count {
                        let o = Int(order[i])
                        out[i] = bases[o &>> bits][o & mask]
                    }
                }
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
