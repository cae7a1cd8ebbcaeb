/// An open-addressing hash set of the rows of a `TextColumn`, keyed by their bytes:
/// finds ids without making a `String` per row.
struct ByteKeyIndex: @unchecked Sendable {
    /// Per slot: the key's 32-bit hash tag in the high half, `row + 1` in the low half (0 = empty),
    /// so that a probe touches one cache line.
    private var slots: [UInt64]
    private let mask: Int

    /// Room for `count` keys at a load factor of at most 1/2.
    init(capacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 33)) &* 0xff51_afd7_ed55_8ccd
        z = (z ^ (z >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return z ^ (z >> 33)
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15 &* UInt64(n &+ 1)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                tail |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = mix(h ^ tail)
        }
        return h
    }

    /// Inserts `row` of `column` unless an equal key is present; returns the row holding it then.
    @inline(__always)
    mutating func insert(row: Int32, of column: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>) -> Int32?
    {
        let start = row == 0 ? 0 : Int(ends[Int(row) - 1])
        let n = Int(ends[Int(row)]) - start
        let p = column.baseAddress! + start
        let h = ByteKeyIndex.hash(p, n)
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeMutableBufferPointer { table in
            while true {
                let entry = table[i]
                if entry == 0 {
                    table[i] = (tag << 32) | UInt64(UInt32(row) + 1)
                    return nil
                }
                if entry >> 32 == tag {
                    let other = Int(entry & 0xFFFF_FFFF) - 1
                    let os = other == 0 ? 0 : Int(ends[other - 1])
                    let on = Int(ends[other]) - os
                    if on == n && memEqual(column.baseAddress! + os, p, n) { return Int32(other) }
                }
                i = (i + 1) & mask
            }
        }
    }

    /// The row whose key equals `p[0..<n]`, if any.
    @inline(__always)
    func find(
        _ p: UnsafePointer<UInt8>, _ n: Int, in column: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<UInt32>
    ) -> Int32? {
        let h = ByteKeyIndex.hash(p, n)
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        return slots.withUnsafeBufferPointer { table in
            while true {
                let entry = table[i]
                if entry == 0 { return nil }
                if entry >> 32 == tag {
                    let other = Int(entry & 0xFFFF_FFFF) - 1
                    let os = other == 0 ? 0 : Int(ends[other - 1])
                    let on = Int(ends[other]) - os
                    if on == n && (n == 0 || memEqual(column.baseAddress! + os, p, n)) { return Int32(other) }
                }
                i = (i + 1) & mask
            }
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

/// Byte order of keys (a prefix first), compared eight bytes at a time without a call.
enum ByteOrder {
    /// Negative, zero or positive as `a` sorts before, with or after `b`.
    @inline(__always)
    static func compare(_ a: UnsafePointer<UInt8>, _ an: Int, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Int {
        let n = min(an, bn)
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(a).loadUnaligned(fromByteOffset: i, as: UInt64.self).byteSwapped
            let y = UnsafeRawPointer(b).loadUnaligned(fromByteOffset: i, as: UInt64.self).byteSwapped
            if x != y { return x < y ? -1 : 1 }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return an - bn
    }

    /// Whether `a` sorts before `b`.
    @inline(__always)
    static func less(_ a: UnsafePointer<UInt8>, _ an: Int, _ b: UnsafePointer<UInt8>, _ bn: Int) -> Bool {
        compare(a, an, b, bn) < 0
    }
}
