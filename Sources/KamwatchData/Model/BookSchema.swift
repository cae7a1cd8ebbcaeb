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

extension Table {
    /// This table with `schema`'s columns: one it has under the same name and kind is kept,
    /// any other is absent. The table itself when its schema already is `schema` (the usual case).
    public func conformed(to schema: TableSchema) -> Table {
        if self.schema.columns == schema.columns { return self }
        let columns = schema.columns.map { spec -> Column in
            if let i = self.schema.columns.firstIndex(of: spec) { return self.columns[i] }
            switch spec.kind {
            case .text, .keyword: return .absentText(count: rowCount)
            case .number: return .number(Array(repeating: .nan, count: rowCount))
            case .date: return .date(Array(repeating: Column.absentDate, count: rowCount))
            }
        }
        return Table(schema: schema, columns: columns, groupStarts: groupStarts)
    }
}

extension Book {
    /// This book with the columns of `schema` in every table (see `Table.conformed(to:)`):
    /// what rules compiled against `schema` read, whatever sources file the data was read with.
    public func conformed(to schema: BookSchema) -> Book {
        var book = self
        book.accounts = accounts.conformed(to: schema[.accounts])
        book.contacts = contacts.conformed(to: schema[.contacts])
        book.orders = orders.conformed(to: schema[.orders])
        book.serviceCosts = serviceCosts.conformed(to: schema[.serviceCosts])
        book.events = events.conformed(to: schema[.events])
        return book
    }
}
