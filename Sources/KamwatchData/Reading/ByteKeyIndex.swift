/// An open-addressing hash set of the rows of a `TextColumn`, keyed by their bytes:
/// finds ids without making a `String` per row.
struct ByteKeyIndex {
    private var slots: [Int32]
    private var hashes: [UInt32]
    private let mask: Int

    /// Room for `count` keys at a load factor of at most 1/2.
    init(capacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        hashes = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        // FNV-1a over 8-byte words, then a final mix: fast for short ids.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x0000_0100_0000_01B3
        h ^= h >> 32
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// Inserts `row` of `column` unless an equal key is present; returns the row holding it then.
    mutating func insert(row: Int32, of column: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>) -> Int32? {
        let start = row == 0 ? 0 : Int(ends[Int(row) - 1])
        let n = Int(ends[Int(row)]) - start
        let p = column.baseAddress! + start
        let h = ByteKeyIndex.hash(p, n)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let other = slots[i]
            if other < 0 {
                slots[i] = row
                hashes[i] = tag
                return nil
            }
            if hashes[i] == tag {
                let os = other == 0 ? 0 : Int(ends[Int(other) - 1])
                let on = Int(ends[Int(other)]) - os
                if on == n && memEqual(column.baseAddress! + os, p, n) { return other }
            }
            i = (i + 1) & mask
        }
    }

    /// The row whose key equals `p[0..<n]`, if any.
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, in column: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>) -> Int32? {
        let h = ByteKeyIndex.hash(p, n)
        let tag = UInt32(truncatingIfNeeded: h >> 32)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let other = slots[i]
            if other < 0 { return nil }
            if hashes[i] == tag {
                let os = other == 0 ? 0 : Int(ends[Int(other) - 1])
                let on = Int(ends[Int(other)]) - os
                if on == n && (n == 0 || memEqual(column.baseAddress! + os, p, n)) { return other }
            }
            i = (i + 1) & mask
        }
    }
}

@inline(__always)
func memEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self)
            != UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self)
        {
            return false
        }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
