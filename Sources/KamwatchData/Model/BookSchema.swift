import KamwatchVocabulary

/// The columns of every table: SPEC §1's, then the columns of the user's own that a sources
/// file declares (`type:`), in name order after them. The standard columns keep their
/// positions, so a table without columns of its own is exactly `TableSchema.schema(for:)`.
public struct BookSchema: Sendable, Hashable {
    /// The user's own columns, per table.
    public let ownColumns: [TableName: [ColumnSpec]]

    /// Adds `ownColumns` (sorted by name) to the standard tables.
    public init(ownColumns: [TableName: [ColumnSpec]]) {
        self.ownColumns = ownColumns.filter { !$0.value.isEmpty }.mapValues { $0.sorted { $0.name < $1.name } }
    }

    /// SPEC §1's tables alone.
    public static let standard = BookSchema(ownColumns: [:])

    /// The schema of `table`.
    public subscript(table: TableName) -> TableSchema {
        let standard = TableSchema.schema(for: table)
        guard let own = ownColumns[table] else { return standard }
        return standard.adding(own)
    }
}

extension TableSchema {
    /// This schema with `columns` after its own.
    public func adding(_ columns: [ColumnSpec]) -> TableSchema {
        TableSchema(
            table: table, columns: self.columns + columns, idColumn: idColumn, groupColumn: groupColumn,
            dateColumn: dateColumn)
    }

    /// Whether column `slot` is one of the user's own (beyond SPEC §1's columns).
    public func isOwnColumn(_ slot: Int) -> Bool {
        slot >= TableSchema.schema(for: table).columns.count
    }
}
