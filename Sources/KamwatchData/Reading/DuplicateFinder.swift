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
        // Ids of one shape ("prefix + digits"): a bitmap over their numbers.
        if let found = duplicatesNumbered(cells) { return found }
        // Several files each sorted by id (monthly exports): merge the sorted pieces, which needs
        // no memory per row, instead of hashing every key.
        if cells.pieceCount > 1, let found = duplicatesMerging(cells) { return found }
        return duplicatesHashing(cells)
    }

    /// `duplicates(in:)` for ids that all fit the shape of the first one (`IDShape`), whose
    /// numbers span at most 64 per row: one bit per number in that span. `nil` otherwise.
    static func duplicatesNumbered(_ cells: TextSegments) -> [(row: Int, first: Int)]? {
        guard let shape = IDShape.of(cells) else { return nil }
        // Each cell's number is read once, and kept for the passes below when all fit 32 bits.
        let keys = UnsafeMutablePointer<UInt32>.allocate(capacity: max(cells.count, 1))
        defer { keys.deallocate() }
        guard let (range, kept) = IDShape.range(of: cells, shape, keeping: keys) else { return nil }
        let low = range.lowerBound
        let span = range.upperBound - low  // < 10^18: no overflow
        guard span / 64 < cells.count + 1024 else { return nil }
        let words = span / 64 + 1
        let seen = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        defer { seen.deallocate() }
        seen.initialize(repeating: 0, count: words)
        @inline(__always) func index(_ row: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
            let offset = (kept ? Int(keys[row]) : shape.key(p, n)) - low
            // The cells are the ones `range` read: every key fits, inside the range.
            precondition(offset >= 0 && offset <= span, "id number outside the range of its column")
            return offset
        }
        var repeats: [(row: Int, offset: Int)] = []
        cells.forEachCell { row, p, n in
            let offset = index(row, p, n)
            let bit: UInt64 = 1 << UInt64(offset & 63)
            let w = offset >> 6
            if seen[w] & bit != 0 {
                repeats.append((row, offset))
            } else {
                seen[w] |= bit
            }
        }
        if repeats.isEmpty { return [] }
        // The first row of each repeated number: a scan up to the last repeat.
        // `seen` now marks the repeated numbers, so that most rows skip the dictionary.
        var first: [Int: Int] = [:]
        seen.update(repeating: 0, count: words)
        for r in repeats {
            first[r.offset] = -1
            seen[r.offset >> 6] |= 1 << UInt64(r.offset & 63)
        }
        let last = repeats[repeats.count - 1].row
        for p in 0..<cells.pieceCount where cells.starts[p] < last {
            for row in cells.rows(ofPiece: p) where row < last {
                let (s, n) = cells.cell(local: row - cells.starts[p], inPiece: p)
                let offset = index(row, s, n)
                if seen[offset >> 6] & (1 << UInt64(offset & 63)) != 0 && first[offset] == -1 { first[offset] = row }
            }
        }
        return repeats.map { r in
            guard let f = first[r.offset], f >= 0, f < r.row else {
                preconditionFailure("repeated id number without an earlier row")
            }
            return (r.row, f)
        }
    }

    /// `duplicates(in:)` for keys in any order: rows are partitioned by hash, then each
    /// partition's keys go through a hash table that fits in the cache.
    static func duplicatesHashing(_ cells: TextSegments) -> [(row: Int, first: Int)] {
        let n = cells.count
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

    /// The pieces' next keys while merging, one entry per piece: each key's first 16 bytes as
    /// two big-endian words (zero padded), so that most comparisons are two integer compares.
    /// Plain buffers (no copy-on-write checks in the merge loop), freed by `deallocate`.
    private struct Heads {
        let high: UnsafeMutablePointer<UInt64>
        let low: UnsafeMutablePointer<UInt64>
        let pointer: UnsafeMutablePointer<UnsafePointer<UInt8>>
        let length: UnsafeMutablePointer<Int>
        /// Row of the key within its piece.
        let local: UnsafeMutablePointer<Int>
        /// Rows of each piece; `local == rows` once the piece is used up.
        let rows: UnsafeMutablePointer<Int>
        /// Per piece, its cells' bytes and row ends (as in `TextSegments`).
        let bytes: UnsafeMutablePointer<UnsafePointer<UInt8>>
        let ends: UnsafeMutablePointer<UnsafePointer<UInt32>>
        let count: Int

        init(_ cells: TextSegments) {
            let k = cells.pieceCount
            count = k
            high = .allocate(capacity: k)
            low = .allocate(capacity: k)
            pointer = .allocate(capacity: k)
            length = .allocate(capacity: k)
            local = .allocate(capacity: k)
            rows = .allocate(capacity: k)
            bytes = .allocate(capacity: k)
            ends = .allocate(capacity: k)
            for p in 0..<k {
                rows[p] = cells.starts[p + 1] - cells.starts[p]
                bytes[p] = cells.bytes[p]
                ends[p] = cells.ends[p]
                local[p] = -1
                pointer[p] = bytes[p]
                length[p] = 0
                advance(p)
            }
        }

        func deallocate() {
            for buffer in [
                UnsafeMutableRawPointer(high), UnsafeMutableRawPointer(low), UnsafeMutableRawPointer(pointer),
                UnsafeMutableRawPointer(length), UnsafeMutableRawPointer(local), UnsafeMutableRawPointer(rows),
                UnsafeMutableRawPointer(bytes), UnsafeMutableRawPointer(ends),
            ] {
                buffer.deallocate()
            }
        }

        /// Moves piece `p` on to its next key.
        @inline(__always)
        func advance(_ p: Int) {
            let next = local[p] + 1
            local[p] = next
            if next >= rows[p] { return }
            let e = ends[p]
            let start = next == 0 ? 0 : Int(e[next - 1])
            let n = Int(e[next]) - start
            let b = bytes[p] + start
            pointer[p] = b
            length[p] = n
            if n >= 16 {
                high[p] = UnsafeRawPointer(b).loadUnaligned(as: UInt64.self).bigEndian
                low[p] = UnsafeRawPointer(b + 8).loadUnaligned(as: UInt64.self).bigEndian
            } else {
                high[p] = Heads.word(b, min(n, 8))
                low[p] = n > 8 ? Heads.word(b + 8, n - 8) : 0
            }
        }

        /// Whether piece `p` is used up (`p` past the last piece: always).
        @inline(__always)
        func done(_ p: Int) -> Bool { p >= count || local[p] >= rows[p] }

        /// Up to eight bytes, big-endian, zero padded on the right.
        @inline(__always)
        static func word(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
            if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).bigEndian }
            var v: UInt64 = 0
            for i in 0..<count { v |= UInt64(p[i]) << (56 - 8 * UInt64(i)) }
            return v
        }

        /// Byte order of the next keys of pieces `a` and `b` (a prefix first), `0` when equal.
        @inline(__always)
        func compare(_ a: Int, _ b: Int) -> Int {
            if high[a] != high[b] { return high[a] < high[b] ? -1 : 1 }
            if low[a] != low[b] { return low[a] < low[b] ? -1 : 1 }
            // The first 16 bytes agree (padding included): a key of at most 16 bytes is a
            // prefix of the other, or both are longer.
            let an = length[a]
            let bn = length[b]
            if an <= 16 || bn <= 16 { return an - bn }
            return ByteOrder.compare(pointer[a] + 16, an - 16, pointer[b] + 16, bn - 16)
        }

        /// Byte order of piece `a`'s next key and a key given by its first 16 bytes as words.
        @inline(__always)
        func compare(_ a: Int, high h: UInt64, low l: UInt64, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Int {
            if high[a] != h { return high[a] < h ? -1 : 1 }
            if low[a] != l { return low[a] < l ? -1 : 1 }
            let an = length[a]
            if an <= 16 || bn <= 16 { return an - bn }
            return ByteOrder.compare(pointer[a] + 16, an - 16, b + 16, bn - 16)
        }

        /// Whether piece `a`'s next key comes out of the merge before piece `b`'s: by key, then
        /// by piece (the earlier row first); a used-up piece last.
        @inline(__always)
        func beats(_ a: Int, _ b: Int) -> Bool {
            if done(b) { return true }
            if done(a) { return false }
            let c = compare(a, b)
            return c < 0 || (c == 0 && a < b)
        }
    }

    /// `duplicates(in:)` for pieces whose keys each ascend strictly: a merge of the pieces by key
    /// (a tournament tree of losers), in which equal keys come out one after another, the
    /// earliest row first. `nil` as soon as a piece turns out not to ascend.
    static func duplicatesMerging(_ cells: TextSegments) -> [(row: Int, first: Int)]? {
        let k = cells.pieceCount
        let heads = Heads(cells)
        // Leaves are pieces `0 ..< size` (those past the last one used up from the start); node
        // i > 0 keeps the loser of its match, `winner` the overall one.
        var size = 1
        while size < k { size <<= 1 }
        let loser = UnsafeMutablePointer<Int>.allocate(capacity: size)
        defer {
            loser.deallocate()
            heads.deallocate()
        }
        var winnerOf = [Int](repeating: 0, count: 2 * size)
        for leaf in 0..<size { winnerOf[size + leaf] = leaf }
        for node in stride(from: size - 1, to: 0, by: -1) {
            let a = winnerOf[2 * node]
            let b = winnerOf[2 * node + 1]
            if heads.beats(b, a) {
                winnerOf[node] = b
                loser[node] = a
            } else {
                winnerOf[node] = a
                loser[node] = b
            }
        }
        var winner = winnerOf[1]
        winnerOf = []
        var found: [(row: Int, first: Int)] = []
        var previous = -1
        var previousPointer = UnsafePointer<UInt8>(bitPattern: 1)!
        var previousLength = -1
        var previousHigh: UInt64 = 0
        var previousLow: UInt64 = 0
        var firstRow = 0
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: k)
        defer { starts.deallocate() }
        for p in 0..<k { starts[p] = cells.starts[p] }
        while !heads.done(winner) {
            let row = starts[winner] + heads.local[winner]
            let n = heads.length[winner]
            let p = heads.pointer[winner]
            if previous >= 0 && n == previousLength && heads.high[winner] == previousHigh
                && heads.low[winner] == previousLow && (n <= 16 || memEqual(p + 16, previousPointer + 16, n - 16))
            {
                found.append((row, firstRow))
            } else {
                firstRow = row
            }
            previous = winner
            previousPointer = p
            previousLength = n
            previousHigh = heads.high[winner]
            previousLow = heads.low[winner]
            heads.advance(winner)
            if !heads.done(winner)
                && heads.compare(winner, high: previousHigh, low: previousLow, previousPointer, n) <= 0
            {
                return nil
            }
            // Replay the winner's matches from its leaf up.
            var node = (size + winner) / 2
            var candidate = winner
            while node > 0 {
                let other = loser[node]
                if heads.beats(other, candidate) {
                    loser[node] = candidate
                    candidate = other
                }
                node /= 2
            }
            winner = candidate
        }
        found.sort { $0.row < $1.row }
        return found
    }

    /// Whether `a` sorts before `b` in byte order (a prefix first).
    @inline(__always)
    static func less(_ a: UnsafePointer<UInt8>, _ an: Int, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Bool {
        ByteOrder.less(a, an, b, bn)
    }
}
