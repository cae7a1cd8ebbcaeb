import KamwatchVocabulary

/// Which text columns a reader keeps, per table. Cells of a column not kept are still read
/// and checked (a required one must be present), but stored as absent, which saves the memory
/// and the copying of text nobody looks at. Number and date columns are always kept.
public struct ColumnSelection: Sendable, Equatable {
    /// Names of the text columns to keep, per table; a table not listed keeps every column.
    public var text: [TableName: Set<String>]

    public init(text: [TableName: Set<String>]) {
        self.text = text
    }

    /// Every column of every table.
    public static let all = ColumnSelection(text: [:])

    /// This selection keeping `names` of `table` too (a table that keeps every column still does).
    public func adding(_ names: Set<String>, of table: TableName) -> ColumnSelection {
        var out = self
        if let kept = text[table] { out.text[table] = kept.union(names) }
        return out
    }

    /// Whether every column `other` keeps is kept here too.
    public func covers(_ other: ColumnSelection) -> Bool {
        for (table, names) in text {
            guard let wanted = other.text[table] else { return false }
            if !wanted.isSubset(of: names) { return false }
        }
        return true
    }

    /// Whether column `slot` of `table` (SPEC §1's columns) is kept.
    public func keeps(_ table: TableName, slot: Int) -> Bool {
        keeps(in: TableSchema.schema(for: table), slot: slot)
    }

    /// Whether column `slot` of `schema` (which may have columns of the user's own) is kept.
    public func keeps(in schema: TableSchema, slot: Int) -> Bool {
        let column = schema.columns[slot]
        if column.kind != .text && column.kind != .keyword { return true }
        guard let names = text[schema.table] else { return true }
        return names.contains(column.name)
    }

    /// Whether column `slot` of `table` is kept for the reader's own use: the id column (for
    /// duplicates), the account a row belongs to (for grouping) and `parent_id` (for linking),
    /// besides the columns asked for.
    func keepsWhileReading(_ table: TableName, slot: Int) -> Bool {
        keepsWhileReading(in: TableSchema.schema(for: table), slot: slot)
    }

    /// `keepsWhileReading(_:slot:)` for `schema`, which may have columns of the user's own.
    func keepsWhileReading(in schema: TableSchema, slot: Int) -> Bool {
        let name = schema.columns[slot].name
        if name == schema.idColumn || name == schema.groupColumn || (schema.table == .accounts && name == "parent_id") {
            return true
        }
        return keeps(in: schema, slot: slot)
    }
}
