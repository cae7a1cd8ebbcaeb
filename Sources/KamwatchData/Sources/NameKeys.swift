import KamwatchVocabulary

/// Account names as `link: name` compares them (`String.lowercased()`, canonical equivalence),
/// done on bytes for the text of most exports: ASCII, Cyrillic U+0400–U+045F, U+0080–U+00BF,
/// general punctuation U+2002–U+206F, `№` and `€`. Such text is in NFC already, so equal
/// lower-cased bytes are exactly equal `String`s; any other text makes the caller compare
/// `String`s instead.
enum NameKey {
    /// Writes the lower-cased bytes of `p[0..<n]` to `out[0..<n]` (lower-casing keeps these
    /// characters' lengths); `false` when the text is not of the kinds above.
    static func lowercase(_ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        var i = 0
        var o = 0
        @inline(__always) func put(_ byte: UInt8) {
            out[o] = byte
            o &+= 1
        }
        while i < n {
            let c = p[i]
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
    private(set) var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var capacity = 256

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
    private var arena: [UInt8] = []
    /// Entry e's bytes are `arena[starts[e]..<starts[e + 1]]`.
    private var starts: [Int] = [0]
    /// The rows of each entry (most have one).
    private(set) var rows: [[Int]] = []
    /// Per entry, its row when it has one (most), or -1.
    private var firstRow: [Int] = []
    private var slots: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    /// The row of an entry that one row carries; `nil` when several share it.
    func single(_ entry: Int) -> Int? {
        let r = firstRow[entry]
        return r >= 0 ? r : nil
    }

    /// The entry of the lower-cased name `key`, if any.
    func find(_ key: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var s = Int(truncatingIfNeeded: ByteHash.hash(key, n)) & mask
        return arena.withUnsafeBufferPointer { a in
            while true {
                let e = Int(slots[s])
                if e < 0 { return nil }
                let start = starts[e]
                if starts[e + 1] - start == n && (n == 0 || memEqual(a.baseAddress! + start, key, n)) { return e }
                s = (s + 1) & mask
            }
        }
    }

    /// Adds `row` under the lower-cased name `key`.
    mutating func add(_ key: UnsafePointer<UInt8>, _ n: Int, row: Int) {
        if let e = find(key, n) {
            rows[e].append(row)
            firstRow[e] = -1
            return
        }
        var s = Int(truncatingIfNeeded: ByteHash.hash(key, n)) & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(rows.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: key, count: n))
        starts.append(arena.count)
        rows.append([row])
        firstRow.append(row)
    }
}
