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
    /// Ids of one shape (`IDShape`) with numbers close together: the account of each number
    /// from `directLow` on (-1: none), in place of the hash table (then empty). With `pages`,
    /// the numbers come in clusters far apart (Bitrix24 numbers groups from 10 000 000 on, its
    /// companies from 1): `direct` then holds only the pages of `pageSize` numbers that have
    /// an id, one after the other.
    private var direct: [Int32] = []
    /// Per page of `pageSize` numbers from `directLow` on: where it starts in `direct`, or -1
    /// (no id in it); empty when `direct` covers every number of the range.
    private var pages: [Int32] = []
    /// Numbers from `directLow` that `direct` (through `pages`, if any) answers for.
    private let directSpan: Int
    private let directShape: IDShape?
    private let directLow: Int
    /// A page of `direct` when the ids come in clusters: 4 096 numbers (16 KB).
    static let pageBits = 12
    static let pageSize = 1 << pageBits

    let ids: TextColumn
    /// Whether the ids ascend in byte order (exports sorted by id): then a scan forward from a
    /// known account can stop as soon as it passes the id it looks for.
    let sorted: Bool

    init(ids: TextColumn) {
        self.ids = ids
        sorted = ids.ascendsStrictly()
        let count = ids.count
        // A table of numbers is used when it takes no more room than twice the ids (the hash
        // table takes more).
        let room = 2 * count + 1024
        let numbered = TextSegments.with(ids) { cells -> (IDShape, ClosedRange<Int>, [Int32])? in
            guard let shape = IDShape.of(cells), let range = IDShape.range(of: cells, shape) else { return nil }
            let span = range.upperBound - range.lowerBound + 1
            if span <= room { return (shape, range, []) }
            // Far apart: pages of numbers, if the ids fill few enough of them.
            let pageCount = (span + AccountIndex.pageSize - 1) >> AccountIndex.pageBits
            if pageCount > room { return nil }
            var pages = [Int32](repeating: -1, count: pageCount)
            var used = 0
            cells.forEachCell { _, p, n in
                let page = (shape.key(p, n) - range.lowerBound) >> AccountIndex.pageBits
                if pages[page] < 0 {
                    pages[page] = 0
                    used += 1
                }
            }
            if used > room >> AccountIndex.pageBits { return nil }
            used = 0
            for page in pages.indices where pages[page] == 0 {
                pages[page] = Int32(used << AccountIndex.pageBits)
                used += 1
            }
            return (shape, range, pages)
        }
        if let (shape, range, pages) = numbered {
            directShape = shape
            directLow = range.lowerBound
            directSpan = range.upperBound - range.lowerBound + 1
            self.pages = pages
            mask = 0
            slots = []
            let span = directSpan
            let low = range.lowerBound
            let size = pages.isEmpty ? span : pages.count(where: { $0 >= 0 }) << AccountIndex.pageBits
            direct = ColumnBuffer.array(count: size) { table in
                table.initialize(repeating: -1)
                TextSegments.with(ids) { cells in
                    cells.forEachCell { row, p, n in
                        var offset = shape.key(p, n) - low
                        // The ids `range` read: every key fits, inside the range.
                        precondition(offset >= 0 && offset < span, "account id number outside its range")
                        if !pages.isEmpty {
                            offset = Int(pages[offset >> AccountIndex.pageBits]) | offset & (AccountIndex.pageSize - 1)
                        }
                        // The first of repeated ids wins, as in the hash table.
                        if table[offset] < 0 { table[offset] = Int32(row) }
                    }
                }
            }
            return
        }
        directShape = nil
        directLow = 0
        directSpan = 0
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
            direct.withUnsafeBufferPointer { direct in
                pages.withUnsafeBufferPointer { pages in
                    ids.bytes.withUnsafeBufferPointer { bytes in
                        ids.ends.withUnsafeBufferPointer { ends in
                            body(
                                Lookup(
                                    slots: slots, mask: mask, bytes: bytes, ends: ends, sorted: sorted, direct: direct,
                                    pages: pages, span: directSpan, shape: directShape, low: directLow))
                        }
                    }
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
        /// `AccountIndex.direct` and `pages`, with the shape, first number and span of its ids.
        let direct: UnsafeBufferPointer<Int32>
        let pages: UnsafeBufferPointer<Int32>
        let span: Int
        let shape: IDShape?
        let low: Int

        /// Whether ids are looked up by number (`findNumbered`): no hash, no neighbours.
        var numbered: Bool { shape != nil }

        /// The account index of the id `p[0..<n]`, or -1, for a numbered index: an id that does
        /// not fit the accounts' shape is no account's.
        @inline(__always)
        func findNumbered(_ shape: IDShape, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
            let k = shape.key(p, n)
            if k < 0 { return -1 }
            let offset = k - low
            if offset < 0 || offset >= span { return -1 }
            if pages.isEmpty { return direct[offset] }
            let page = pages[offset >> AccountIndex.pageBits]
            if page < 0 { return -1 }
            return direct[Int(page) | offset & (AccountIndex.pageSize - 1)]
        }

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
            if let shape { return findNumbered(shape, p, n) }
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
