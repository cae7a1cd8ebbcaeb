import KamwatchData
import KamwatchVocabulary

extension RuleSet {
    /// The text columns the rules read, plus the account columns every alert carries: what
    /// `Book.load(directory:keeping:)` needs to keep for `evaluate` to give the same alerts.
    public var columnsUsed: ColumnSelection {
        var used: [TableName: Set<String>] = [:]
        for table in TableName.allCases { used[table] = [] }
        used[.accounts, default: []].formUnion(["account_id", "name", "owner", "lead"])
        for rule in rules { rule.collectColumns(into: &used) }
        return ColumnSelection(text: used)
    }
}

extension Rule {
    /// Adds the names of every column this rule reads, by table.
    func collectColumns(into used: inout [TableName: Set<String>]) {
        var parts: [Typed] = [scope, when, critical, warning].compactMap { $0 }
        parts += definitions.map(\.body) + evidence.map(\.body) + messageValues
        for part in parts { Rule.collect(part, rowTable: nil, schema: schema, into: &used) }
    }

    private static func collect(
        _ t: Typed, rowTable: TableName?, schema: BookSchema, into used: inout [TableName: Set<String>]
    ) {
        func name(_ table: TableName, _ slot: Int) {
            used[table, default: []].insert(schema[table].columns[slot].name)
        }
        func walk(_ x: Typed) { collect(x, rowTable: rowTable, schema: schema, into: &used) }
        switch t.node {
        case .number, .day, .text, .bool, .null, .at, .definition: break
        case .accountField(let slot): name(.accounts, slot)
        case .rowField(let slot): if let rowTable { name(rowTable, slot) }
        case .negate(let x), .not(let x), .isNull(let x, _), .contains(let x, _), .matches(let x, _): walk(x)
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b):
            walk(a)
            walk(b)
        case .inList(let x, let items, _):
            walk(x)
            items.forEach(walk)
        case .inWindow(let x, let low, let high):
            walk(x)
            walk(low)
            walk(high)
        case .function(_, let args): args.forEach(walk)
        case .activeOn(let d, let since, let until):
            walk(d)
            if let rowTable {
                name(rowTable, since)
                name(rowTable, until)
            }
        case .aggregate(let agg):
            if let date = schema[agg.table].dateColumn { used[agg.table, default: []].insert(date) }
            if let w = agg.window {
                walk(w.low)
                walk(w.high)
            }
            for inner in [agg.value, agg.filter].compactMap({ $0 }) {
                collect(inner, rowTable: agg.table, schema: schema, into: &used)
            }
        }
    }
}
