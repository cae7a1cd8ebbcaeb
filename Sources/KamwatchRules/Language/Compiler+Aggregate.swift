import KamwatchData
import KamwatchVocabulary

/// Type-checking of date windows and aggregates.
extension Compiler {
    func window(_ w: Window) throws(ExpressionError) -> (Typed, Typed) {
        switch w {
        case .last(let n):
            let t = try compile(n)
            guard t.type == .duration else {
                throw ExpressionError(message: "\"last\" takes a duration, e.g. last 90d", range: n.range)
            }
            let low = Typed.combine(.arithmetic(.subtract, .constant(.at, .day), t), .day, [t])
            return (low, .constant(.at, .day))
        case .between(let a, let b):
            let ta = try compile(a)
            let tb = try compile(b)
            for (t, e) in [(ta, a), (tb, b)] where t.type != .day {
                throw ExpressionError(
                    message: "\"between\" takes two dates, e.g. between at - 455d and at - 90d", range: e.range)
            }
            return (ta, tb)
        }
    }

    func aggregate(_ agg: Aggregate) throws(ExpressionError) -> Typed {
        if rowTable != nil {
            throw ExpressionError(
                message: "aggregates cannot be nested; define the inner one under let:", range: agg.functionRange)
        }
        let schema = self.schema[agg.source.table]
        var inner = self
        inner.rowTable = agg.source.table
        let value = try agg.value.map { (v) throws(ExpressionError) -> Typed in try inner.compile(v) }
        let filter = try agg.filter.map { (f) throws(ExpressionError) -> Typed in try inner.compile(f) }
        if let filter, let f = agg.filter { try require(filter, [.bool], f.range, "\"where\"") }
        var window: (low: Typed, high: Typed)?
        if let w = agg.window {
            guard schema.dateColumn != nil else {
                throw ExpressionError(
                    message: "table \(agg.source.table.rawValue) has no date column; filter it with \"where\" instead",
                    range: agg.source.range)
            }
            window = try self.window(w)
        }
        let fname = agg.function.rawValue
        let resultType: ValueType
        switch agg.function {
        case .count:
            resultType = .number
        case .sum, .avg:
            guard let value else {
                throw ExpressionError(
                    message: "\(fname) needs a value, e.g. \(fname)(net_amount of orders)", range: agg.functionRange)
            }
            try require(value, [.number, .duration], agg.value!.range, "\(fname)")
            resultType = value.type == .null ? .number : value.type
        case .min, .max:
            guard let value else {
                throw ExpressionError(
                    message: "\(fname) needs a value, e.g. \(fname)(net_amount of orders)", range: agg.functionRange)
            }
            try require(value, [.number, .duration, .day], agg.value!.range, "\(fname)")
            resultType = value.type
        case .latest, .earliest:
            guard let value else {
                throw ExpressionError(
                    message: "\(fname) needs a value, e.g. \(fname)(type of events)", range: agg.functionRange)
            }
            guard schema.dateColumn != nil else {
                throw ExpressionError(
                    message: "\(fname) needs a dated table; \(agg.source.table.rawValue) has no date column",
                    range: agg.source.range)
            }
            try require(value, [.number, .duration, .day, .text], agg.value!.range, "\(fname)")
            resultType = value.type
        }
        let typedAgg = TypedAggregate(
            function: agg.function, scope: agg.source.scope, table: agg.source.table, value: value, window: window,
            filter: filter)
        var parts = [value, filter, window?.low, window?.high].compactMap { $0 }
        for i in parts.indices { parts[i].usesRow = false }
        var t = Typed.combine(.aggregate(typedAgg), resultType, parts)
        t.usesAccount = t.usesAccount || agg.source.scope != .book
        return t
    }
}
