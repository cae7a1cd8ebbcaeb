import KamwatchVocabulary

/// Finds repeated keys in a text column, cache-friendly: rows are first partitioned by hash
/// so that each partition's table stays in the CPU cache.
enum DuplicateFinder {
    /// Rows whose key an earlier row already holds, with that earlier row; in row order.
    static func duplicates(in column: TextColumn) -> [(row: Int, first: Int)] {
        TextSegments.with(column) { duplicates(in: $0) }
    }

    /// Rows whose key an earlier row already holds, with that earlier row; in row order.
    static func duplicates(in cells: TextSegments) -> [(row: Int, first: Int)] {
        let n = cells.count
        if n == 0 || isStrictlyIncreasing(cells) { return [] }
        var bits = 0
        while (n >> bits) > 16384 { bits += 1 }
        let partitions = 1 << bits
        let shift = UInt64(64 - bits)
        @inline(__always) func partition(_ h: UInt64) -> Int { bits == 0 ? 0 : Int(h >> shift) }

        var starts = [Int](repeating: 0, count: partitions + 1)
        cells.forEachCell { _, p, count in starts[partition(ByteHash.hash(p, count)) + 1] += 1 }
        var largest = 0
        for p in 0..<partitions {
            largest = max(largest, starts[p + 1])
            starts[p + 1] += starts[p]
        }
        // Each partition's rows and hashes side by side, so the pass below reads them in order.
        // Hashing twice is cheaper than keeping a hash per row.
        var next = starts
        var order: [UInt32] = ColumnBuffer.array(count: n) { _ in }
        var orderHash: [UInt64] = ColumnBuffer.array(count: n) { _ in }
        order.withUnsafeMutableBufferPointer { order in
            orderHash.withUnsafeMutableBufferPointer { orderHash in
                cells.forEachCell { row, p, count in
                    let h = ByteHash.hash(p, count)
                    let k = partition(h)
                    order[next[k]] = UInt32(row)
                    orderHash[next[k]] = h
                    next[k] += 1
                }
            }
        }
        var found: [(row: Int, first: Int)] = []
        var size = 16
        while size < largest * 2 { size <<= 1 }
        var table = [UInt64](repeating: 0, count: size)
        table.withUnsafeMutableBufferPointer { table in
            for p in 0..<partitions {
                let count = starts[p + 1] - starts[p]
                if count == 0 { continue }
                var tableSize = 16
                while tableSize < count * 2 { tableSize <<= 1 }
                let mask = tableSize - 1
                table.baseAddress!.update(repeating: 0, count: tableSize)
                for k in starts[p]..<starts[p + 1] {
                    let row = Int(order[k])
                    let h = orderHash[k]
                    var i = Int(truncatingIfNeeded: h) & mask
                    // The tag keeps probes inside the table: the cells are touched only on a match.
                    let tag = (h >> 24) & 0xFFFF_FFFF
                    while true {
                        let entry = table[i]
                        if entry == 0 {
                            table[i] = (tag << 32) | UInt64(row + 1)
                            break
                        }
                        if entry >> 32 == tag {
                            let other = Int(entry & 0xFFFF_FFFF) - 1
                            let (a, an) = cells.cell(row)
                            let (b, bn) = cells.cell(other)
                            if an == bn && memEqual(a, b, an) {
                                found.append((row, other))
                                break
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
        found.sort { $0.row < $1.row }
        return found
    }

    /// Whether every key sorts strictly after the one before it (byte order, a prefix first):
    /// then none repeats. Exports sorted by id pass in one sequential scan; others fail early.
    static func isStrictlyIncreasing(_ cells: TextSegments) -> Bool {
        // Piece boundaries first: unsorted pieces usually show there at once.
        for p in 1..<max(cells.pieceCount, 1) where !cells.rows(ofPiece: p).isEmpty {
            let previous = cells.starts[p] - 1
            if previous < 0 { continue }
            let (a, an) = cells.cell(previous)
            let (b, bn) = cells.cell(local: 0, inPiece: p)
            if !less(a, an, b, bn) { return false }
        }
        var previous: (UnsafePointer<UInt8>, Int)?
        var increasing = true
        for p in 0..<cells.pieceCount {
            let rows = cells.rows(ofPiece: p)
            for local in 0..<rows.count {
                let cell = cells.cell(local: local, inPiece: p)
                if let (a, an) = previous, !less(a, an, cell.0, cell.1) {
                    increasing = false
                    break
                }
                previous = cell
            }
            if !increasing { break }
        }
        return increasing
    }

    /// Whether `a` sorts before `b` in byte order (a prefix first).
    @inline(__always)
    static func less(_ a: UnsafePointer<UInt8>, _ an: Int, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Bool {
        ByteOrder.less(a, an, b, bn)
    }
}
