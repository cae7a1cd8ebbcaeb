import KamwatchData
import KamwatchVocabulary

/// Walks the rows an aggregate reads for one account: its scope's groups, inside the
/// date window (low, high] capped at AT, passing the filter.
///
/// Aggregates over the same table, scope, window and filter share one scan (see
/// `Binder.rowScan`): its rows are then walked once per account, kept in the context, and
/// every aggregate reads them from there.
final class RowScan: @unchecked Sendable {
    let scope: RowScope
    let groupStarts: [Int32]
    let parent: [Int32]
    let ancestorCounts: [Int32]
    let accountCount: Int
    let rowCount: Int
    let dates: [Int32]?
    // Closures are stored non-optional (with flags): optional closures are called through thunks.
    let hasWindow: Bool
    let low: DayFn
    let high: DayFn
    let at: Int32
    let hasFilter: Bool
    let filter: BoolFn
    /// A window whose bounds are the same for every account: (low, high] computed once.
    let windowFixed: Bool
    let fixedLow: Int32
    let fixedHigh: Int32
    /// The context's row buffer that keeps this scan's rows when several aggregates read
    /// them; -1 when one does (it walks the rows itself). Set while binding, read only after.
    var shared = -1

    init(
        scope: RowScope, table: Table, book: Book, dates: [Int32]?, hasWindow: Bool, low: @escaping DayFn,
        high: @escaping DayFn, at: Int32, hasFilter: Bool, filter: @escaping BoolFn,
        fixedWindow: (low: Int32, high: Int32)? = nil
    ) {
        self.scope = scope
        groupStarts = table.groupStarts
        parent = book.parent
        ancestorCounts = book.ancestorCounts
        accountCount = book.accountCount
        rowCount = table.rowCount
        self.dates = dates
        // Flags instead of optionals: an optional closure goes through reabstraction thunks.
        self.hasWindow = hasWindow
        self.low = low
        self.high = high
        self.at = at
        self.hasFilter = hasFilter
        self.filter = filter
        windowFixed = fixedWindow != nil
        fixedLow = fixedWindow?.low ?? absentDay
        fixedHigh = fixedWindow.map { Swift.min($0.high, at) } ?? absentDay
    }

    /// Calls `body` with each row, in table order.
    @inline(__always)
    func forEach(_ c: EvalContext, _ body: (Int) -> Void) {
        if shared >= 0 {
            for r in rows(c) { body(r) }
        } else {
            walk(c, body)
        }
    }

    /// How many rows pass.
    @inline(__always)
    func count(_ c: EvalContext) -> Int {
        if shared >= 0 { return rows(c).count }
        var n = 0
        walk(c) { _ in n += 1 }
        return n
    }

    /// The kept rows of a shared scan, walked the first time for the context's account.
    @inline(__always)
    private func rows(_ c: EvalContext) -> UnsafeBufferPointer<Int> {
        let s = shared
        if c.rowStamps[s] != c.generation {
            c.rowCounts[s] = 0
            walk(c) { r in c.keep(r, scan: s) }
            c.rowStamps[s] = c.generation
        }
        return c.rows(scan: s)
    }

    @inline(__always)
    private func walk(_ c: EvalContext, _ body: (Int) -> Void) {
        var lo = Int32.min
        var hi = at
        if windowFixed {
            lo = fixedLow
            hi = fixedHigh
            if lo == absentDay || hi == absentDay { return }
        } else if hasWindow {
            lo = low(c, -1)
            hi = Swift.min(high(c, -1), at)
            // A window with a null bound holds no rows.
            if lo == absentDay || hi == absentDay { return }
        }
        let groupCount = groupStarts.count - 1
        func scan(_ g: Int) {
            guard g < groupCount else { return }
            let range = Int(groupStarts[g])..<Int(groupStarts[g + 1])
            scanRange(c, range, lo, hi, body)
        }
        switch scope {
        case .own:
            scan(c.account)
        case .book:
            scanRange(c, 0..<rowCount, lo, hi, body)
        case .ancestors, .lineage:
            if scope == .lineage { scan(c.account) }
            // Up the chain until an id would repeat (a parent cycle is walked once around).
            var p = Int(parent[c.account])
            for _ in 0..<Int(ancestorCounts[c.account]) {
                scan(p)
                if p >= accountCount { break }
                p = Int(parent[p])
            }
        }
    }

    @inline(__always)
    private func scanRange(_ c: EvalContext, _ range: Range<Int>, _ lo: Int32, _ hi: Int32, _ body: (Int) -> Void) {
        if let dates {
            if hasFilter {
                for r in range {
                    let d = dates[r]
                    if d > lo, d <= hi, filter(c, r) { body(r) }
                }
            } else {
                for r in range {
                    let d = dates[r]
                    if d > lo, d <= hi { body(r) }
                }
            }
        } else if hasFilter {
            for r in range where filter(c, r) { body(r) }
        } else {
            for r in range { body(r) }
        }
    }
}
