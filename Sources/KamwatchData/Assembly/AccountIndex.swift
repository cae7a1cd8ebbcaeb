import KamwatchVocabulary

/// Account ids to account indexes, for the millions of lookups that group rows by account.
///
/// Each slot holds the first eight bytes of its key beside the hash tag, so ids of up to eight
/// bytes are matched without touching the id column: one cache miss per lookup.
struct AccountIndex: Sendable {
    /// Per slot, side by side: `len << 56 | tag24 << 32 | (row + 1)` (0 = empty), then the
    /// key's first eight bytes.
    private var slots: [UInt64]
    private let mask: Int
    let ids: TextColumn
    /// Whether the ids ascend in byte order (exports sorted by id): then a scan forward from a
    /// known account can stop as soon as it passes the id it looks for.
    let sorted: Bool

    init(ids: TextColumn) {
        self.ids = ids
        let count = ids.count
        var size = 16
        while size < count * 2 { size <<= 1 }
        mask = size - 1
        var slots: [UInt64] = ColumnBuffer.array(count: 2 * size) { $0.initialize(repeating: 0) }
        let mask = self.mask
        ids.bytes.withUnsafeBufferPointer { bytes in
            ids.ends.withUnsafeBufferPointer { ends in
                guard let base = bytes.baseAddress else { return }
                for row in 0..<count {
                    let p = base + ends.rangeStart(row)
                    let n = ends.rangeCount(row)
                    let h = ByteHash.hash(p, n)
                    let word = AccountIndex.entryWord(h, n, row)
                    let prefix = AccountIndex.prefix(p, n)
                    var i = Int(truncatingIfNeeded: h) & mask
                    while slots[2 * i] != 0 {
                        // Ids are unique here (duplicates were dropped when reading).
                        i = (i + 1) & mask
                    }
                    slots[2 * i] = word
                    slots[2 * i + 1] = prefix
                }
            }
        }
        self.slots = slots
        sorted = ids.ascendsStrictly()
    }

    @inline(__always)
    static func entryWord(_ h: UInt64, _ n: Int, _ row: Int) -> UInt64 {
        (UInt64(min(n, 255)) << 56) | (((h >> 40) & 0xFF_FFFF) << 32) | UInt64(row + 1)
    }

    @inline(__always)
    static func prefix(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        if n >= 8 { return UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) }
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(p[i]) << (8 * UInt64(i)) }
        return v
    }

    /// Runs `body` with a lookup that holds plain pointers: no reference counting per lookup,
    /// which matters when two threads look up millions of ids in the same index.
    func withLookup<R>(_ body: (Lookup) -> R) -> R {
        slots.withUnsafeBufferPointer { slots in
            ids.bytes.withUnsafeBufferPointer { bytes in
                ids.ends.withUnsafeBufferPointer { ends in
                    body(Lookup(slots: slots, mask: mask, bytes: bytes, ends: ends, sorted: sorted))
                }
            }
        }
    }

    /// The account index of the id `p[0..<n]`, or -1.
    func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        withLookup { $0.find(p, n) }
    }

    /// Lookups in an `AccountIndex`, valid inside `withLookup`; read-only, so any number of
    /// threads may share one.
    struct Lookup: @unchecked Sendable {
        // Unchecked Sendable: read-only pointers into an `AccountIndex` that outlives every `withLookup` call.
        let slots: UnsafeBufferPointer<UInt64>
        let mask: Int
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<UInt32>

        let sorted: Bool

        /// The account index of the id `p[0..<n]` if it is one of the few accounts right after
        /// `account` in file order; -1 when it is not; -2 when it is no account at all (ids
        /// sorted, and the scan passed where it would be).
        @inline(__always)
        func near(after account: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
            let base = bytes.baseAddress!
            if sorted {
                // Sorted ids: walk forward while they sort before the wanted one.
                if ByteOrder.compare(p, n, base + ends.rangeStart(account), ends.rangeCount(account)) < 0 {
                    return -1
                }
                var row = account + 1
                let end = min(row + 32, ends.count)
                while row < end {
                    let c = ByteOrder.compare(p, n, base + ends.rangeStart(row), ends.rangeCount(row))
                    if c == 0 { return Int32(row) }
                    if c < 0 { return -2 }
                    row += 1
                }
                return row == ends.count ? -2 : -1
            }
            let window = 8
            var row = account + 1
            let end = min(row + window, ends.count)
            while row < end {
                let start = Int(ends[row - 1])
                if Int(ends[row]) - start == n && memEqual(base + start, p, n) { return Int32(row) }
                row += 1
            }
            return -1
        }

        /// The account index of the id `p[0..<n]`, or -1.
        @inline(__always)
        func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
            let h = ByteHash.hash(p, n)
            let want = AccountIndex.entryWord(h, n, -1) & 0xFFFF_FFFF_0000_0000
            let prefix = AccountIndex.prefix(p, n)
            var i = Int(truncatingIfNeeded: h) & mask
            while true {
                let e = slots[2 * i]
                if e == 0 { return -1 }
                if e & 0xFFFF_FFFF_0000_0000 == want && slots[2 * i + 1] == prefix {
                    let row = Int(e & 0xFFFF_FFFF) - 1
                    if n <= 8
                        || (ends.rangeCount(row) == n && memEqual(bytes.baseAddress! + ends.rangeStart(row), p, n))
                    {
                        return Int32(row)
                    }
                }
                i = (i + 1) & mask
            }
        }
    }
}
