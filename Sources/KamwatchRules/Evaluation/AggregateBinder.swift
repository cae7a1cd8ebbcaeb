import KamwatchData
import KamwatchVocabulary

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
