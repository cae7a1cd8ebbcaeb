/// Finds repeated keys in a text column, cache-friendly: rows are first partitioned by hash
/// so that each partition's table stays in the CPU cache.
enum DuplicateFinder {
    /// Rows whose key an earlier row already holds, with that earlier row; in row order.
    static func duplicates(in column: TextColumn) -> [(row: Int, first: Int)] {
        let n = column.count
        if n == 0 { return [] }
        var bits = 0
        while (n >> bits) > 16384 { bits += 1 }
        let partitions = 1 << bits
        var found: [(row: Int, first: Int)] = []
        column.bytes.withUnsafeBufferPointer { bytes in
            column.ends.withUnsafeBufferPointer { ends in
                let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
                @inline(__always) func hash(_ row: Int) -> UInt64 {
                    ByteKeyIndex.hash(base + ends.rangeStart(row), ends.rangeCount(row))
                }
                let shift = UInt64(64 - bits)
                @inline(__always) func partition(_ h: UInt64) -> Int { bits == 0 ? 0 : Int(h >> shift) }
                var starts = [Int](repeating: 0, count: partitions + 1)
                for row in 0..<n { starts[partition(hash(row)) + 1] += 1 }
                var largest = 0
                for p in 0..<partitions {
                    largest = max(largest, starts[p + 1])
                    starts[p + 1] += starts[p]
                }
                var next = starts
                // Each partition's rows and hashes side by side, so the pass below reads them in order.
                // Hashing twice is cheaper than keeping a hash per row.
                var order = [UInt32](repeating: 0, count: n)
                var orderHash = [UInt64](repeating: 0, count: n)
                for row in 0..<n {
                    let h = hash(row)
                    let p = partition(h)
                    order[next[p]] = UInt32(row)
                    orderHash[next[p]] = h
                    next[p] += 1
                }
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
                            // The tag keeps probes inside the table: the hash array is touched only on a match.
                            let tag = (h >> 24) & 0xFFFF_FFFF
                            while true {
                                let entry = table[i]
                                if entry == 0 {
                                    table[i] = (tag << 32) | UInt64(row + 1)
                                    break
                                }
                                let other = Int(entry & 0xFFFF_FFFF) - 1
                                if entry >> 32 == tag && hash(other) == h {
                                    let n = ends.rangeCount(row)
                                    if n == ends.rangeCount(other)
                                        && memEqual(base + ends.rangeStart(row), base + ends.rangeStart(other), n)
                                    {
                                        found.append((row, other))
                                        break
                                    }
                                }
                                i = (i + 1) & mask
                            }
                        }
                    }
                }
            }
        }
        found.sort { $0.row < $1.row }
        return found
    }
}
