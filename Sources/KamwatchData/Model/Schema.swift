import KamwatchVocabulary

/// The five tables of a data directory.
public enum TableName: String, CaseIterable, Sendable, Hashable {
    case accounts
    case contacts
    case orders
    case serviceCosts = "service_costs"
    case events
}

/// How a column's cells are parsed.
public enum ColumnKind: Sendable, Hashable {
    /// Free text, trimmed.
    case text
    /// Free text, trimmed and lower-cased (`tier`, event `type`).
    case keyword
    /// A decimal number (SPEC §1 number rules).
    case number
    /// A calendar day (`YYYY-MM-DD` or `DD.MM.YYYY`, optional time part ignored).
    case date
}

/// One known column of a table.
public struct ColumnSpec: Sendable, Hashable {
    public let name: String
    public let kind: ColumnKind
    public let required: Bool

    public init(_ name: String, _ kind: ColumnKind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.required = required
    }
}

/// The fixed schema of one table: its known columns and their roles.
public struct TableSchema: Sendable, Hashable {
    public let table: TableName
    /// Known columns, in this order in `Table.columns`.
    public let columns: [ColumnSpec]
    /// The column whose value must be unique across the table, if any.
    public let idColumn: String?
    /// The column naming the account (or, for events, the company) a row belongs to.
    public let groupColumn: String?
    /// The column that dates a row; rows dated after the as-of day are ignored.
    public let dateColumn: String?

    /// Position of `name` (case-insensitive) among `columns`.
    public func index(of name: String) -> Int? {
        let key = name.lowercased()
        return columns.firstIndex { $0.name == key }
    }

    public static func schema(for table: TableName) -> TableSchema {
        switch table {
        case .accounts: accounts
        case .contacts: contacts
        case .orders: orders
        case .serviceCosts: serviceCosts
        case .events: events
        }
    }

    public static let accounts = TableSchema(
        table: .accounts,
        columns: [
            ColumnSpec("account_id", .text, required: true),
            ColumnSpec("name", .text, required: true),
            ColumnSpec("tier", .keyword),
            ColumnSpec("owner", .text),
            ColumnSpec("lead", .text),
            ColumnSpec("parent_id", .text),
            ColumnSpec("industry", .text),
        ],
        idColumn: "account_id", groupColumn: nil, dateColumn: nil)

    public static let contacts = TableSchema(
        table: .contacts,
        columns: [
            ColumnSpec("contact_id", .text, required: true),
            ColumnSpec("account_id", .text, required: true),
            ColumnSpec("name", .text),
            ColumnSpec("role", .text),
            ColumnSpec("email", .text),
            ColumnSpec("since", .date),
            ColumnSpec("until", .date),
        ],
        idColumn: "contact_id", groupColumn: "account_id", dateColumn: nil)

    public static let orders = TableSchema(
        table: .orders,
        columns: [
            ColumnSpec("order_id", .text, required: true),
            ColumnSpec("account_id", .text, required: true),
            ColumnSpec("date", .date, required: true),
            ColumnSpec("list_amount", .number, required: true),
            ColumnSpec("net_amount", .number, required: true),
            ColumnSpec("cogs", .number),
        ],
        idColumn: "order_id", groupColumn: "account_id", dateColumn: "date")

    public static let serviceCosts = TableSchema(
        table: .serviceCosts,
        columns: [
            ColumnSpec("account_id", .text, required: true),
            ColumnSpec("date", .date, required: true),
            ColumnSpec("amount", .number, required: true),
            ColumnSpec("category", .text),
        ],
        idColumn: nil, groupColumn: "account_id", dateColumn: "date")

    public static let events = TableSchema(
        table: .events,
        columns: [
            ColumnSpec("account_id", .text, required: true),
            ColumnSpec("date", .date, required: true),
            ColumnSpec("type", .keyword, required: true),
            ColumnSpec("counterparty", .text),
            ColumnSpec("note", .text),
        ],
        idColumn: nil, groupColumn: "account_id", dateColumn: "date")
}
