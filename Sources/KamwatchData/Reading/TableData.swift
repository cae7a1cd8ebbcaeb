import KamwatchVocabulary

/// What reading one file of a table found: its dialect, header and row counts.
public struct FileReport: Sendable, Hashable {
    /// The file's name relative to the data directory (or the path as given).
    public var name: String
    /// Whether the file is gzip-compressed (`.gz`).
    public var gzip: Bool
    /// Detected encoding; `nil` when the file could not be read.
    public var encoding: TextEncoding?
    /// Detected dialect; `nil` when the file could not be read.
    public var dialect: CSVDialect?
    /// The header and how it maps onto the table's columns; `nil` when there is none.
    public var header: HeaderMapping?
    /// Rows kept (valid, not duplicates).
    public var goodRows: Int
    /// Rows skipped as bad (reported as issues).
    public var badRows: Int
    /// Why the file could not be read at all; its rows are then not used.
    public var failure: String?
    /// Why every row of the file is bad: its header lacks a required column (or one a sources
    /// file maps). The daemon treats such a file as unreadable.
    public var lostColumns: String?

    /// A report of a file not read yet.
    public init(name: String, gzip: Bool) {
        self.name = name
        self.gzip = gzip
        self.encoding = nil
        self.dialect = nil
        self.header = nil
        self.goodRows = 0
        self.badRows = 0
        self.failure = nil
        self.lostColumns = nil
    }
}

/// The valid rows of one table, read from its files in order, before grouping by account.
///
/// Account ids are still text here, so a table can be re-read on its own and assembled
/// with the other tables' last good data (`Book.assemble`).
public struct TableData: Sendable {
    /// The table these rows belong to.
    public let table: TableName
    /// One report per file, in reading order.
    public var files: [FileReport]
    /// One column per `schema.columns`, `rowCount` cells each, in file order.
    public var columns: [Column] {
        get {
            guard let pending else { return storedColumns }
            return storedColumns.indices.map { pending.holds($0) ? pending.column($0) : storedColumns[$0] }
        }
        set {
            storedColumns = newValue
            pending = nil
        }
    }
    /// The columns, except those still in `pending` (placeholders there).
    var storedColumns: [Column]
    /// Columns not concatenated yet (see `PendingColumns`).
    var pending: PendingColumns?
    /// Physical line (1-based) where each row starts.
    public var lines: [UInt32]
    /// Rows of `files[i]` are `fileRowStarts[i] ..< fileRowStarts[i + 1]`.
    public var fileRowStarts: [Int]
    /// Bad rows, duplicates and unreadable files, in file and line order.
    public var issues: [InputIssue]

    /// The table's schema (the order of `columns`): SPEC §1's columns, then the user's own.
    public let schema: TableSchema
    /// Number of valid rows.
    public var rowCount: Int { lines.count }
    /// Names of the files that could not be read at all (their rows are missing).
    public var failedFiles: [String] { files.filter { $0.failure != nil }.map(\.name) }
    /// Rows skipped as bad, over all files.
    public var badRowCount: Int { files.reduce(0) { $0 + $1.badRows } }

    /// The rows as given.
    init(
        table: TableName, files: [FileReport], columns: [Column], lines: [UInt32], fileRowStarts: [Int],
        issues: [InputIssue], schema: TableSchema? = nil
    ) {
        self.table = table
        self.schema = schema ?? TableSchema.schema(for: table)
        self.files = files
        self.storedColumns = columns
        self.pending = nil
        self.lines = lines
        self.fileRowStarts = fileRowStarts
        self.issues = issues
    }

    /// Column `slot` (concatenated from its chunks if it was still pending).
    func column(_ slot: Int) -> Column {
        if let pending, pending.holds(slot) { return pending.column(slot) }
        return storedColumns[slot]
    }

    /// Replaces column `slot` with `column`, letting go of its chunks if it was still pending
    /// (only for the sole owner of the chunks).
    mutating func setStored(_ slot: Int, _ column: Column) {
        if let pending, pending.holds(slot) { pending.release(slot) }
        storedColumns[slot] = column
    }

    /// An empty table (no files).
    public static func empty(_ table: TableName) -> TableData {
        empty(schema: TableSchema.schema(for: table))
    }

    /// An empty table of `schema` (no files).
    public static func empty(schema: TableSchema) -> TableData {
        TableData(
            table: schema.table, files: [], columns: schema.columns.map { Column.empty($0.kind) }, lines: [],
            fileRowStarts: [0], issues: [], schema: schema)
    }

    /// The file and line a row came from.
    public func source(ofRow row: Int) -> (file: String, line: Int) {
        (files[fileRowStarts.range(holding: row)].name, Int(lines[row]))
    }
}

extension Column {
    /// A column of no cells of `kind`.
    public static func empty(_ kind: ColumnKind) -> Column {
        switch kind {
        case .text, .keyword: .text(TextColumn())
        case .number: .number([])
        case .date: .date([])
        }
    }

    /// Number of cells.
    public var count: Int {
        switch self {
        case .text(let t): t.count
        case .number(let v): v.count
        case .date(let v): v.count
        }
    }

    /// The text column, if this is one.
    public var textColumn: TextColumn? {
        if case .text(let t) = self { return t }
        return nil
    }
}
