import KamwatchVocabulary

/// Hashing of byte keys (ids), for the tables that find them without a `String` per row
/// (`AccountIndex`, `DuplicateFinder`).
enum ByteHash {
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
