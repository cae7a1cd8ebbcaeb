import KamwatchVocabulary

/// Account names as `link: name` compares them (`String.lowercased()`, canonical equivalence),
/// done on bytes for the text of most exports: ASCII, Cyrillic U+0400–U+045F, U+0080–U+00BF,
/// general punctuation U+2002–U+206F, `№` and `€`. Such text is in NFC already, so equal
/// lower-cased bytes are exactly equal `String`s; any other text makes the caller compare
/// `String`s instead.
enum NameKey {
    /// The lower-cased UTF-8 of U+0400...U+045F (lead byte D0 or D1, then 80...BF), indexed by
    /// the lead's low bit and the second byte's low six bits, little-endian; 0 for D1 A0...BF
    /// (not such text). `UnsafePointer` so that a lookup is one load.
    nonisolated(unsafe) private static let cyrillic: UnsafePointer<UInt16> = {
        let table = UnsafeMutablePointer<UInt16>.allocate(capacity: 128)
        for index in 0..<128 {
            let lead: UInt16 = index < 64 ? 0xD0 : 0xD1
            let second = UInt16(0x80 + index % 64)
            var out: (UInt16, UInt16)
            switch (lead, second) {
            case (0xD0, 0x80...0x8F): out = (0xD1, second + 0x10)  // Ѐ...Џ to ѐ...џ
            case (0xD0, 0x90...0x9F): out = (0xD0, second + 0x20)  // А...П to а...п
            case (0xD0, 0xA0...0xAF): out = (0xD1, second - 0x20)  // Р...Я to р...я
            case (0xD0, _), (0xD1, 0x80...0x9F): out = (lead, second)
            default: out = (0, 0)
            }
            table[index] = out.0 | out.1 << 8
        }
        return UnsafePointer(table)
    }()

    /// Writes the lower-cased bytes of `p[0..<n]` to `out[0..<n]` (lower-casing keeps these
    /// characters' lengths); `false` when the text is not of the kinds above.
    static func lowercase(_ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        var i = 0
        var o = 0
        @inline(__always) func put(_ byte: UInt8) {
            out[o] = byte
            o &+= 1
        }
        let raw = UnsafeRawPointer(p)
        let cyrillic = Self.cyrillic
        while i < n {
            let c = p[i]
            // Four, then two Cyrillic letters at once (leads D0 or D1, each followed by a
            // continuation byte; little-endian words), each by table.
            if c | 1 == 0xD1 && n - i >= 4 {
                if n - i >= 8 {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if w & 0xC0FE_C0FE_C0FE_C0FE == 0x80D0_80D0_80D0_80D0 {
                        let a = cyrillic[Int(truncatingIfNeeded: (w & 1) << 6 | (w >> 8) & 0x3F)]
                        let b = cyrillic[Int(truncatingIfNeeded: (w >> 16 & 1) << 6 | (w >> 24) & 0x3F)]
                        let c2 = cyrillic[Int(truncatingIfNeeded: (w >> 32 & 1) << 6 | (w >> 40) & 0x3F)]
                        let d2 = cyrillic[Int(truncatingIfNeeded: (w >> 48 & 1) << 6 | (w >> 56) & 0x3F)]
                        if a != 0 && b != 0 && c2 != 0 && d2 != 0 {
                            let lowered =
                                UInt64(a) | UInt64(b) << 16 | UInt64(c2) << 32 | UInt64(d2) << 48
                            UnsafeMutableRawPointer(out + o).storeBytes(of: lowered, as: UInt64.self)
                            i &+= 8
                            o &+= 8
                            continue
                        }
                    }
                }
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                if w & 0xC0FE_C0FE == 0x80D0_80D0 {
                    let a = cyrillic[Int(truncatingIfNeeded: (w & 1) << 6 | (w >> 8) & 0x3F)]
                    let b = cyrillic[Int(truncatingIfNeeded: (w >> 16 & 1) << 6 | (w >> 24) & 0x3F)]
                    if a != 0 && b != 0 {
                        UnsafeMutableRawPointer(out + o).storeBytes(of: UInt32(a) | UInt32(b) << 16, as: UInt32.self)
                        i &+= 4
                        o &+= 4
                        continue
                    }
                }
            }
            // Cyrillic U+0400...U+045F by table: one two-byte load per letter.
            if c | 1 == 0xD1 && i + 1 < n {
                let d = p[i + 1]
                if d & 0xC0 == 0x80 {
                    let pair = cyrillic[Int(c & 1) << 6 | Int(d & 0x3F)]
                    if pair != 0 {
                        UnsafeMutableRawPointer(out + o).storeBytes(of: pair, as: UInt16.self)
                        i &+= 2
                        o &+= 2
                        continue
                    }
                }
            }
            // Eight ASCII bytes at once (tried at an ASCII byte only): the capitals (0x41...0x5A;
            // each byte is under 0x80, so no sum carries into the next) get 0x20 added.
            if c < 0x80 && n - i >= 8 {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0 {
                    let atLeastA = (w &+ 0x3F3F_3F3F_3F3F_3F3F) & 0x8080_8080_8080_8080
                    let pastZ = (w &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
                    let lowered = w | (atLeastA & ~pastZ) >> 2
                    UnsafeMutableRawPointer(out + o).storeBytes(of: lowered, as: UInt64.self)
                    i &+= 8
                    o &+= 8
                    continue
                }
            }
            if c < 0x80 {
                put(c >= 0x41 && c <= 0x5A ? c &+ 0x20 : c)
                i += 1
                continue
            }
            if i + 1 < n {
                let d = p[i + 1]
                switch c {
                case 0xC2 where d >= 0x80 && d <= 0xBF:
                    put(c)
                    put(d)
                    i += 2
                    continue
                case 0xD0 where d >= 0x80 && d <= 0x8F:  // Ѐ...Џ to ѐ...џ
                    put(0xD1)
                    put(d &+ 0x10)
                    i += 2
                    continue
                case 0xD0 where d >= 0x90 && d <= 0x9F:  // А...П to а...п
                    put(0xD0)
                    put(d &+ 0x20)
                    i += 2
                    continue
                case 0xD0 where d >= 0xA0 && d <= 0xAF:  // Р...Я to р...я
                    put(0xD1)
                    put(d &- 0x20)
                    i += 2
                    continue
                case 0xD0 where d >= 0xB0 && d <= 0xBF, 0xD1 where d >= 0x80 && d <= 0x9F:
                    put(c)
                    put(d)
                    i += 2
                    continue
                default: break
                }
            }
            if c == 0xE2 && i + 2 < n {
                let d = p[i + 1]
                let e = p[i + 2]
                // U+2002...U+206F (U+2000 and U+2001 are canonically U+2002 and U+2003).
                let punctuation = (d == 0x80 && e >= 0x82 && e <= 0xBF) || (d == 0x81 && e >= 0x80 && e <= 0xAF)
                if punctuation || (d == 0x84 && e == 0x96) || (d == 0x82 && e == 0xAC) {
                    put(c)
                    put(d)
                    put(e)
                    i += 3
                    continue
                }
            }
            return false
        }
        return true
    }
}

/// Room for one key at a time, grown as needed.
final class KeyScratch {
    // Used by one thread at a time: no dynamic exclusivity checks on each access.
    @exclusivity(unchecked) private(set) var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    @exclusivity(unchecked) private var capacity = 256

    deinit { base.deallocate() }

    /// Room for `n` bytes.
    func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        if n > capacity {
            base.deallocate()
            capacity = n * 2
            base = .allocate(capacity: capacity)
        }
        return base
    }
}

/// Lower-cased account names by bytes: each distinct name and the rows that carry it.
struct NameTable {
    /// An entry: its name in `arena`, its row when only one row carries it (else -1), and
    /// that row's id bytes (`ids`, set by `attach`), so that a lookup touches little memory.
    private struct Entry {
        var start: UInt32
        var count: UInt32
        var row: Int32
        var idStart: UInt32 = 0
        var idEnd: UInt32 = 0
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// The rows of each entry that several rows carry (the others' row is in the entry).
    private var sharedRows: [Int: [Int]] = [:]
    /// Open addressing: the high half of the name's hash, and its entry + 1 (0: free).
    private var slots: [UInt64]
    private var mask: Int
    /// The sum of the slots a batch loaded ahead (`add(batch:...)`), kept so that the loads stay.
    private var touched: UInt64 = 0

    /// Room for `capacity` names of `bytes` bytes in all. The table of a big book is looked
    /// up at random (each lookup misses the caches): its arrays ask for huge pages, so that
    /// the lookups do not also miss the TLB.
    init(capacity: Int, bytes: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = ColumnBuffer.array(count: size) { $0.initialize(repeating: 0) }
        mask = size - 1
        entries.reserveCapacity(capacity)
        arena.reserveCapacity(bytes)
        Self.adviseHugePages(&entries)
        Self.adviseHugePages(&arena)
    }

    /// Huge pages for the capacity of `array` (reserved, not written yet), when it is big.
    private static func adviseHugePages<T>(_ array: inout [T]) {
        let bytes = array.capacity * MemoryLayout<T>.stride
        guard bytes >= ColumnMemory.hugeBytes else { return }
        array.withUnsafeMutableBufferPointer { b in
            if let p = b.baseAddress { ColumnBuffer.adviseHugePages(UnsafeMutableRawPointer(p), bytes: bytes) }
        }
    }

    /// The rows that carry an entry's name, in order.
    func rows(_ entry: Int) -> [Int] {
        let r = entries[entry].row
        return r >= 0 ? [Int(r)] : sharedRows[entry]!
    }

    /// The row of an entry that one row carries; `nil` when several share it.
    func single(_ entry: Int) -> Int? {
        let r = entries[entry].row
        return r >= 0 ? Int(r) : nil
    }

    /// The lower-cased name of an entry.
    func key(_ entry: Int) -> String {
        let e = entries[entry]
        return String(decoding: arena[Int(e.start)..<Int(e.start + e.count)], as: UTF8.self)
    }

    /// The id bytes (in the column given to `attach`) of an entry that one row carries.
    func idRange(_ entry: Int) -> Range<Int> {
        let e = entries[entry]
        return Int(e.idStart)..<Int(e.idEnd)
    }

    /// Notes, for each entry carried by one row, where that row's id is in `ids`.
    mutating func attach(ids: TextColumn) {
        for k in entries.indices where entries[k].row >= 0 {
            let r = ids.range(Int(entries[k].row))
            entries[k].idStart = UInt32(truncatingIfNeeded: r.lowerBound)
            entries[k].idEnd = UInt32(truncatingIfNeeded: r.upperBound)
        }
    }

    /// The entry of the lower-cased name `key`, if any.
    func find(_ key: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        let hash = ByteHash.hash(key, n)
        return find(key, n, hash: hash).entry
    }

    /// The entries of `m` lower-cased names at once (`found[i]`: the entry, or -1): the first
    /// slots, then the entries of the first slots holding each name's tag, then the names' first
    /// and last bytes are loaded for all of them before any is compared, so that their cache
    /// misses overlap. `keys + offsets[i]`, `counts[i]` bytes
    /// (at least one), hashed (`ByteHash`) into `hashes[i]`; `words` is room for `m` values.
    func find(
        batch m: Int, keys: UnsafePointer<UInt8>, offsets: UnsafePointer<Int>, counts: UnsafePointer<Int>,
        hashes: UnsafePointer<UInt64>, into found: UnsafeMutablePointer<Int>, words: UnsafeMutablePointer<UInt64>
    ) {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { a in
                    for i in 0..<m { words[i] = slots[Int(truncatingIfNeeded: hashes[i]) & mask] }
                    // From the first slot on (in the cache line just loaded, mostly) to the first
                    // with the name's tag (its entry is the candidate) or a free one (-1: no such
                    // name). -2, below: look again from the start (another name with the tag).
                    for i in 0..<m {
                        let tag = hashes[i] >> 32
                        var s = Int(truncatingIfNeeded: hashes[i]) & mask
                        var w = words[i]
                        while w != 0 && w >> 32 != tag {
                            s = (s + 1) & mask
                            w = slots[s]
                        }
                        if w == 0 {
                            found[i] = -1
                        } else {
                            let e = Int(truncatingIfNeeded: w & 0xFFFF_FFFF) - 1
                            found[i] = e
                            let entry = entries[e]
                            words[i] = UInt64(entry.start) | UInt64(entry.count) << 32
                        }
                    }
                    // The first and the last byte: a name across two cache lines has both loaded.
                    for i in 0..<m where found[i] >= 0 {
                        let w = words[i]
                        let n = counts[i]
                        let start = Int(truncatingIfNeeded: w & 0xFFFF_FFFF)
                        if Int(w >> 32) != n || a[start] != keys[offsets[i]]
                            || a[start + n - 1] != keys[offsets[i] + n - 1]
                        {
                            found[i] = -2
                        }
                    }
                    for i in 0..<m {
                        let key = keys + offsets[i]
                        let n = counts[i]
                        if found[i] >= 0 {
                            if memEqual(a.baseAddress! + Int(truncatingIfNeeded: words[i] & 0xFFFF_FFFF), key, n) {
                                continue
                            }
                        } else if found[i] == -1 {
                            continue
                        }
                        found[i] = find(key, n, hash: hashes[i], slots, entries, a).entry ?? -1
                    }
                }
            }
        }
    }

    /// The entry of `key` or the free slot where it would go.
    private func find(_ key: UnsafePointer<UInt8>, _ n: Int, hash: UInt64) -> (entry: Int?, slot: Int) {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { a in find(key, n, hash: hash, slots, entries, a) }
            }
        }
    }

    @inline(__always)
    private func find(
        _ key: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, _ slots: UnsafeBufferPointer<UInt64>,
        _ entries: UnsafeBufferPointer<Entry>, _ a: UnsafeBufferPointer<UInt8>
    ) -> (entry: Int?, slot: Int) {
        let tag = hash >> 32
        var s = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { return (nil, s) }
            if slot >> 32 == tag {
                let e = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                let entry = entries[e]
                if Int(entry.count) == n && (n == 0 || memEqual(a.baseAddress! + Int(entry.start), key, n)) {
                    return (e, s)
                }
            }
            s = (s + 1) & mask
        }
    }

    /// Adds `row` under the lower-cased name `key`.
    mutating func add(_ key: UnsafePointer<UInt8>, _ n: Int, row: Int) {
        add(key, n, hash: ByteHash.hash(key, n), row: row)
    }

    /// Adds `m` rows under their lower-cased names, in order, as `add(_:_:row:)` one by one
    /// would: `keys + offsets[i]`, `counts[i]` bytes, hashed into `hashes[i]`. The names' first
    /// slots are loaded for the whole batch first, so that their cache misses overlap.
    mutating func add(
        batch m: Int, keys: UnsafePointer<UInt8>, offsets: UnsafePointer<Int>, counts: UnsafePointer<Int>,
        hashes: UnsafePointer<UInt64>, rows: UnsafePointer<Int>
    ) {
        var touched: UInt64 = 0
        slots.withUnsafeBufferPointer { slots in
            for i in 0..<m { touched &+= slots[Int(truncatingIfNeeded: hashes[i]) & mask] }
        }
        self.touched = touched
        for i in 0..<m { add(keys + offsets[i], counts[i], hash: hashes[i], row: rows[i]) }
    }

    private mutating func add(_ key: UnsafePointer<UInt8>, _ n: Int, hash: UInt64, row: Int) {
        let (found, slot) = find(key, n, hash: hash)
        if let e = found {
            if entries[e].row >= 0 { sharedRows[e] = [Int(entries[e].row)] }
            sharedRows[e]!.append(row)
            entries[e].row = -1
            return
        }
        slots[slot] = (hash >> 32) << 32 | UInt64(entries.count + 1)
        entries.append(
            Entry(
                start: UInt32(truncatingIfNeeded: arena.count), count: UInt32(truncatingIfNeeded: n),
                row: Int32(truncatingIfNeeded: row)))
        arena.append(contentsOf: UnsafeBufferPointer(start: key, count: n))
    }
}

extension NameTable {
    /// The account names by bytes (`NameKey`), or `nil` when a name is text they cannot be
    /// compared in.
    init?(names: TextColumn) {
        let scratch = KeyScratch()
        var table = NameTable(capacity: names.count, bytes: names.bytes.count)
        // Names are lower-cased and hashed 32 at a time, then added (`add(batch:...)`).
        let block = 32
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let rows = UnsafeMutablePointer<Int>.allocate(capacity: block)
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: block)
        defer {
            for p in [offsets, counts, rows] { p.deallocate() }
            hashes.deallocate()
        }
        let ok = names.bytes.withUnsafeBufferPointer { b -> Bool in
            var row = 0
            while row < names.count {
                let blockEnd = min(row + block, names.count)
                let first = names.range(row).lowerBound
                let keys = scratch.reserve(max(names.range(blockEnd - 1).upperBound - first, 1))
                var m = 0
                var used = 0
                for r in row..<blockEnd {
                    let range = names.range(r)
                    if range.isEmpty { continue }
                    guard NameKey.lowercase(b.baseAddress! + range.lowerBound, range.count, into: keys + used) else {
                        return false
                    }
                    offsets[m] = used
                    counts[m] = range.count
                    hashes[m] = ByteHash.hash(keys + used, range.count)
                    rows[m] = r
                    m += 1
                    used += range.count
                }
                table.add(batch: m, keys: keys, offsets: offsets, counts: counts, hashes: hashes, rows: rows)
                row = blockEnd
            }
            return true
        }
        guard ok else { return nil }
        self = table
    }
}
