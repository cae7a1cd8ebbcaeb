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

/// Binds one aggregate to a tight loop over its table's typed arrays.
struct AggregateBinder {
    let binder: Binder
    let aggregate: TypedAggregate
    let type: ValueType
    /// Whether the aggregate depends on the account (else it is computed once, at bind time).
    let perAccount: Bool

    func bind() -> BoundFn {
        let book = binder.book
        let table = book.table(aggregate.table)
        let schema = table.schema
        let dateArray = schema.dateColumn.flatMap { schema.index(of: $0) }.map { dates(table, $0) }
        // No Optional.map for closures: passing them through a generic adds thunks to every call.
        var low: DayFn = { _, _ in absentDay }
        var high: DayFn = { _, _ in absentDay }
        var fixedWindow: (low: Int32, high: Int32)?
        if let w = aggregate.window {
            low = binder.day(w.low)
            high = binder.day(w.high)
            if !w.low.usesAccount && !w.low.usesRow && !w.high.usesAccount && !w.high.usesRow {
                fixedWindow = (low(binder.foldContext, -1), high(binder.foldContext, -1))
            }
        }
        let saved = binder.rowTable
        binder.rowTable = table
        defer { binder.rowTable = saved }
        let scan = binder.rowScan(for: aggregate, perAccount: perAccount) {
            var filter: BoolFn = { _, _ in true }
            if let f = aggregate.filter { filter = binder.bool(f) }
            return RowScan(
                scope: aggregate.scope, table: table, book: book, dates: dateArray, hasWindow: aggregate.window != nil,
                low: low, high: high,
                at: binder.at, hasFilter: aggregate.filter != nil, filter: filter, fixedWindow: fixedWindow)
        }
        switch aggregate.function {
        case .count:
            guard let value = aggregate.value else {
                return .number({ @Sendable (c: EvalContext, _: Int) -> Double in Double(scan.count(c)) })
            }
            let present = binder.bool(Typed.combine(.isNull(value, negated: true), .bool, [value]))
            return .number({ @Sendable (c: EvalContext, _: Int) -> Double in
                var n = 0
                scan.forEach(c) { r in if present(c, r) { n += 1 } }
                return Double(n)
            })
        case .sum, .avg, .min, .max:
            if type == .day { return .day(dayExtreme(scan)) }
            return .number(numeric(scan))
        case .latest, .earliest:
            return pick(scan, dates: dateArray ?? [])
        }
    }

    private func numeric(_ scan: RowScan) -> NumberFn {
        let value = aggregate.value!
        // The common shape — a plain column — reads the array directly.
        if case .rowField(let col) = value.node {
            return numeric(scan, ColumnValues(column: numbers(binder.rowTable!, col)))
        }
        if let v = ArithmeticValues(value, binder) { return numeric(scan, v) }
        return numeric(scan, BoundValues(f: binder.number(value)))
    }

    /// The loop of `sum`, `avg`, `min` or `max` over the rows' values (nulls skipped);
    /// generic so that a plain column's loop reads its array without a call per row.
    private func numeric<V: RowValues>(_ scan: RowScan, _ v: V) -> NumberFn {
        switch aggregate.function {
        case .sum:
            return { c, _ in
                var sum = 0.0
                scan.forEach(c) { r in
                    let x = v.value(c, r)
                    if !x.isNaN { sum += x }
                }
                return sum
            }
        case .avg:
            return { c, _ in
                var sum = 0.0
                var n = 0
                scan.forEach(c) { r in
                    let x = v.value(c, r)
                    if !x.isNaN {
                        n += 1
                        sum += x
                    }
                }
                return n == 0 ? .nan : sum / Double(n)
            }
        default:
            let isMin = aggregate.function == .min
            return { c, _ in
                var best = Double.nan
                scan.forEach(c) { r in
                    let x = v.value(c, r)
                    if x.isNaN { return }
                    if best.isNaN || (isMin ? x < best : x > best) { best = x }
                }
                return best
            }
        }
    }

    private func dayExtreme(_ scan: RowScan) -> DayFn {
        let isMin = aggregate.function == .min
        let f = binder.day(aggregate.value!)
        return { c, _ in
            var best = absentDay
            scan.forEach(c) { r in
                let v = f(c, r)
                if v == absentDay { return }
                if best == absentDay || (isMin ? v < best : v > best) { best = v }
            }
            return best
        }
    }

    /// `latest` / `earliest`: the value at the first row with the latest (earliest) date.
    private func pick(_ scan: RowScan, dates: [Int32]) -> BoundFn {
        let latest = aggregate.function == .latest
        let best: @Sendable (EvalContext) -> Int = { c in
            var row = -1
            var bestDay = Int32.min
            scan.forEach(c) { r in
                let d = dates[r]
                if row < 0 || (latest ? d > bestDay : d < bestDay) {
                    row = r
                    bestDay = d
                }
            }
            return row
        }
        let value = aggregate.value!
        switch type {
        case .number, .duration, .null:
            let f = binder.number(value)
            return .number({ @Sendable (c: EvalContext, _: Int) -> Double in
                let r = best(c)
                return r < 0 ? .nan : f(c, r)
            })
        case .day:
            let f = binder.day(value)
            return .day({ @Sendable (c: EvalContext, _: Int) -> Int32 in
                let r = best(c)
                return r < 0 ? absentDay : f(c, r)
            })
        case .text:
            let f = binder.text(value)
            return .text({ @Sendable (c: EvalContext, _: Int) -> String? in
                let r = best(c)
                return r < 0 ? nil : f(c, r)
            })
        case .bool:
            let f = binder.bool(value)
            return .bool({ @Sendable (c: EvalContext, _: Int) -> Bool in
                let r = best(c)
                return r >= 0 && f(c, r)
            })
        }
    }
}

/// The values an aggregate reads from its rows.
protocol RowValues: Sendable {
    func value(_ c: EvalContext, _ r: Int) -> Double
}

/// A plain column.
struct ColumnValues: RowValues {
    let column: [Double]

    @inline(__always)
    func value(_ c: EvalContext, _ r: Int) -> Double { column[r] }
}

/// Any other expression, bound.
struct BoundValues: RowValues {
    let f: NumberFn

    @inline(__always)
    func value(_ c: EvalContext, _ r: Int) -> Double { f(c, r) }
}

/// `a OP b` with each side a column, a constant or `coalesce(column, constant)`, as in
/// `net_amount - coalesce(cogs, 0)`: read from the columns without a call per part.
struct ArithmeticValues: RowValues {
    /// One side: a column's value (a null replaced by `fallback`), or the constant `fallback`.
    struct Operand: Sendable {
        let column: [Double]
        let isColumn: Bool
        let fallback: Double

        init?(_ t: Typed, _ binder: Binder) {
            guard t.type == .number || t.type == .duration else { return nil }
            if !t.usesAccount && !t.usesRow {
                column = []
                isColumn = false
                fallback = binder.number(t)(binder.foldContext, -1)
                return
            }
            switch t.node {
            case .rowField(let col):
                column = numbers(binder.rowTable!, col)
                fallback = .nan
            case .function(.coalesce, let args):
                guard args.count == 2, case .rowField(let col) = args[0].node, args[0].type == .number,
                    !args[1].usesAccount, !args[1].usesRow, args[1].type == .number || args[1].type == .null
                else { return nil }
                column = numbers(binder.rowTable!, col)
                fallback = binder.number(args[1])(binder.foldContext, -1)
            default:
                return nil
            }
            isColumn = true
        }

        @inline(__always)
        func value(_ r: Int) -> Double {
            if !isColumn { return fallback }
            let v = column[r]
            return v.isNaN ? fallback : v
        }
    }

    let op: ArithmeticOperator
    let a: Operand
    let b: Operand

    init?(_ t: Typed, _ binder: Binder) {
        guard case .arithmetic(let op, let x, let y) = t.node, let a = Operand(x, binder), let b = Operand(y, binder)
        else { return nil }
        self.op = op
        self.a = a
        self.b = b
    }

    @inline(__always)
    func value(_ c: EvalContext, _ r: Int) -> Double {
        let x = a.value(r)
        let y = b.value(r)
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return y == 0 ? .nan : x / y
        }
    }
}
