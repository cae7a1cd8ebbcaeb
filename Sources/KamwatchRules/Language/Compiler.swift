import KamwatchData
import KamwatchVocabulary

/// Type-checks parsed expressions into `Typed` IR, resolving names and columns.
struct Compiler {
    /// The tables' columns, with any of the user's own a sources file declares.
    var schema: BookSchema = .standard
    /// Definitions visible so far: name → (index, its typed body).
    var definitions: [String: (index: Int, typed: Typed)] = [:]
    /// The table whose rows are in scope (inside an aggregate's value or filter).
    var rowTable: TableName?
    /// Definitions that failed to compile: using one fails silently (its error is reported).
    var failed: Set<String> = []

    func compile(_ e: Expression) throws(ExpressionError) -> Typed {
        switch e {
        case .number(let v, _): return .constant(.number(v), .number)
        case .duration(let d, _): return .constant(.number(Double(d)), .duration)
        case .date(let d, _): return .constant(.day(d.ordinal), .day)
        case .string(let s, _): return .constant(.text(s), .text)
        case .bool(let b, _): return .constant(.bool(b), .bool)
        case .null: return .constant(.null, .null)
        case .name(let n, let r): return try name(n, r)
        case .header(_, let r):
            throw ExpressionError(message: "a header in backquotes belongs in a sources file, not a rule", range: r)
        case .member(let base, let m, let r): return try member(base, m, r)
        case .unary(.negate, let x, _):
            let t = try compile(x)
            try require(t, [.number, .duration], x.range, "\"-\"")
            return .combine(.negate(t), t.type == .null ? .number : t.type, [t])
        case .unary(.not, let x, _):
            let t = try compile(x)
            try require(t, [.bool], x.range, "\"not\"")
            return .combine(.not(t), .bool, [t])
        case .binary(let op, let l, let r, let range): return try binary(op, l, r, range)
        case .isNull(let x, let negated, _):
            let t = try compile(x)
            return .combine(.isNull(t, negated: negated), .bool, [t])
        case .inList(let x, let items, let negated, _):
            let t = try compile(x)
            var typedItems: [Typed] = []
            for item in items {
                let ti = try compile(item)
                guard ti.type == t.type || ti.type == .null || t.type == .null else {
                    throw ExpressionError(
                        message: "list item is \(article(ti.type)), but the value is \(article(t.type))",
                        range: item.range)
                }
                typedItems.append(ti)
            }
            return .combine(.inList(t, typedItems, negated: negated), .bool, [t] + typedItems)
        case .inWindow(let x, let w, _):
            let t = try compile(x)
            try require(t, [.day], x.range, "\"in last\"")
            let (low, high) = try window(w)
            return .combine(.inWindow(t, low: low, high: high), .bool, [t, low, high])
        case .call(let fn, let args, let r): return try call(fn, args, r)
        case .aggregate(let agg, _): return try aggregate(agg)
        }
    }

    func article(_ t: ValueType) -> String {
        switch t {
        case .number: "a number"
        case .duration: "a duration"
        case .day: "a date"
        case .text: "text"
        case .bool: "true/false"
        case .null: "null"
        }
    }

    func require(_ t: Typed, _ allowed: [ValueType], _ range: Range<Int>, _ what: String) throws(ExpressionError) {
        guard t.type != .null, !allowed.contains(t.type) else { return }
        let want = allowed.map { article($0) }.joined(separator: " or ")
        throw ExpressionError(message: "\(what) needs \(want), not \(article(t.type))", range: range)
    }

    private func name(_ n: String, _ r: Range<Int>) throws(ExpressionError) -> Typed {
        if n == "at" { return .constant(.at, .day) }
        if let row = rowTable {
            let schema = self.schema[row]
            if let i = schema.index(of: n), schema.columns[i].name == n {
                return Typed(
                    node: .rowField(i), type: columnType(schema.columns[i]), usesAccount: false, usesRow: true,
                    usesDefinition: false)
            }
        }
        if failed.contains(n) { throw ExpressionError(message: "", range: r) }
        if let d = definitions[n] {
            return Typed(
                node: .definition(d.index), type: d.typed.type, usesAccount: d.typed.usesAccount, usesRow: false,
                usesDefinition: true)
        }
        if let row = rowTable {
            let schema = self.schema[row]
            throw ExpressionError(
                message: "unknown column \"\(n)\" in table \(row.rawValue)\(suggest(n, schema.columns.map(\.name)))",
                range: r)
        }
        if ["account", "book", "ancestors", "lineage"].contains(n) || TableName(rawValue: n) != nil {
            throw ExpressionError(
                message:
                    "\"\(n)\" is not a value here; write e.g. account.tier or count(\(n == "account" ? "orders" : n))",
                range: r)
        }
        let known = definitions.keys.sorted()
        if let best = (known + ["at"]).min(by: { editDistance(n, $0) < editDistance(n, $1) }),
            editDistance(n, best) <= 2
        {
            throw ExpressionError(message: "unknown name \"\(n)\" (did you mean \"\(best)\"?)", range: r)
        }
        let hint = known.isEmpty ? "define it under let:" : "defined so far: \(known.joined(separator: ", "))"
        throw ExpressionError(
            message: "unknown name \"\(n)\" (\(hint); account attributes are account.<name>)", range: r)
    }

    /// ` (did you mean "x"?)` for a close candidate, or the list of candidates.
    func suggest(_ n: String, _ candidates: [String]) -> String {
        if let best = candidates.min(by: { editDistance(n, $0) < editDistance(n, $1) }), editDistance(n, best) <= 2 {
            return " (did you mean \"\(best)\"?)"
        }
        return candidates.isEmpty ? "" : " (expected one of: \(candidates.joined(separator: ", ")))"
    }

    private func member(_ base: Expression, _ m: String, _ r: Range<Int>) throws(ExpressionError) -> Typed {
        guard case .name(let b, _) = base else {
            throw ExpressionError(message: "\".\" follows account or a table name", range: r)
        }
        if b == "account" {
            let schema = self.schema[.accounts]
            guard let i = schema.index(of: m), schema.columns[i].name == m else {
                throw ExpressionError(
                    message: "unknown account attribute \"\(m)\"\(suggest(m, schema.columns.map(\.name)))", range: r)
            }
            return Typed(
                node: .accountField(i), type: columnType(schema.columns[i]), usesAccount: true, usesRow: false,
                usesDefinition: false)
        }
        if let t = TableName(rawValue: b) {
            guard t == rowTable else {
                throw ExpressionError(
                    message: "\(b).\(m) is only available inside an aggregate over \(b), e.g. sum(\(m) of \(b))",
                    range: r)
            }
            return try name(m, r)
        }
        throw ExpressionError(message: "\"\(b)\" has no attributes; did you mean account.\(m)?", range: r)
    }

    func columnType(_ c: ColumnSpec) -> ValueType {
        switch c.kind {
        case .text, .keyword: .text
        case .number: .number
        case .date: .day
        }
    }

    private func binary(
        _ op: BinaryOperator, _ l: Expression, _ r: Expression, _ range: Range<Int>
    ) throws(ExpressionError) -> Typed {
        let a = try compile(l)
        let b = try compile(r)
        switch op {
        case .and, .or:
            try require(a, [.bool], l.range, "\"\(op.rawValue)\"")
            try require(b, [.bool], r.range, "\"\(op.rawValue)\"")
            return .combine(op == .and ? .and(a, b) : .or(a, b), .bool, [a, b])
        case .contains, .matches:
            try require(a, [.text], l.range, "\"\(op.rawValue)\"")
            guard case .text(let pattern) = b.node else {
                throw ExpressionError(message: "\"\(op.rawValue)\" takes a quoted text on its right", range: r.range)
            }
            if op == .contains { return .combine(.contains(a, pattern.lowercased()), .bool, [a]) }
            return .combine(.matches(a, try textPattern(pattern, r.range)), .bool, [a])
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            if a.type == .null || b.type == .null {
                guard op == .equal || op == .notEqual else {
                    throw ExpressionError(message: "cannot order null; use \"is null\"", range: range)
                }
                let x = a.type == .null ? b : a
                return .combine(.isNull(x, negated: op == .notEqual), .bool, [x])
            }
            guard a.type == b.type else {
                var hint = ""
                if a.type == .duration && b.type == .number || a.type == .number && b.type == .duration {
                    hint = " (write a duration like 30d)"
                }
                throw ExpressionError(
                    message: "cannot compare \(article(a.type)) with \(article(b.type))\(hint)", range: range)
            }
            if a.type == .text || a.type == .bool, op != .equal, op != .notEqual {
                throw ExpressionError(message: "\(article(a.type)) can only be compared with == or !=", range: range)
            }
            return .combine(.compare(op, a, b), .bool, [a, b])
        case .add, .subtract, .multiply, .divide:
            let arith = ArithmeticOperator(rawValue: op.rawValue)!
            let t = try arithmeticType(arith, a.type, b.type, range)
            return .combine(.arithmetic(arith, a, b), t, [a, b])
        }
    }

    private func arithmeticType(
        _ op: ArithmeticOperator, _ a: ValueType, _ b: ValueType, _ range: Range<Int>
    ) throws(ExpressionError) -> ValueType {
        switch (op, a, b) {
        case (_, .null, .null): return .number
        case (_, .number, .number), (_, .number, .null), (_, .null, .number): return .number
        case (.add, .duration, .duration), (.subtract, .duration, .duration),
            (.add, .duration, .null), (.subtract, .duration, .null), (.add, .null, .duration),
            (.subtract, .null, .duration):
            return .duration
        case (.add, .day, .duration), (.add, .duration, .day), (.subtract, .day, .duration), (.add, .day, .null),
            (.subtract, .day, .null):
            return .day
        case (.subtract, .day, .day): return .duration
        case (.multiply, .duration, .number), (.multiply, .number, .duration), (.divide, .duration, .number):
            return .duration
        case (.divide, .duration, .duration): return .number
        default:
            var hint = ""
            if a == .day && b == .number || a == .number && b == .day { hint = " (write a duration like 90d)" }
            throw ExpressionError(
                message: "cannot compute \(article(a)) \(op.rawValue) \(article(b))\(hint)", range: range)
        }
    }

}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}
