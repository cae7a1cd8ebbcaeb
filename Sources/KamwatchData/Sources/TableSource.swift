import KamwatchVocabulary

/// How the files of a data directory map onto the tables (SPEC §6), ready for the reader:
/// per table, which files feed it and how each of their rows becomes a row of the table.
///
/// Built from a sources file by KamwatchRules (`SourcesFile`), which compiles `where` and
/// `expr` into the closures held here, once.
public struct SourcePlan: Sendable {
    /// The sources file, for reports.
    public var file: String
    /// The tables a block describes; the others are read as SPEC §1 says.
    public var tables: [TableName: TableSource]

    public init(file: String, tables: [TableName: TableSource]) {
        self.file = file
        self.tables = tables
    }

    /// The tables' columns, with the user's own (`type:`) that the blocks declare.
    public var schema: BookSchema { BookSchema(ownColumns: tables.mapValues(\.ownColumns)) }
}

/// One table's block of a sources file, compiled.
public struct TableSource: Sendable {
    /// Glob patterns on file names (a trailing `.gz` removed), in the order given.
    public var files: [String]
    public var encoding: SourceEncoding
    /// `,`, `;` or TAB; `nil` detects it from the header line.
    public var delimiter: UInt8?
    /// `true` for `,`, `false` for `.`, `nil` for SPEC §1's rule (a comma only in `;` files).
    public var decimalComma: Bool?
    public var dates: DateStyle
    /// Physical lines above the header row.
    public var skipLines: Int
    /// Every header the block reads, by `SourceRow` index.
    public var headers: [HeaderRequest]
    /// Rows for which this is not `true` are dropped (not bad).
    public var filter: SourceFunction?
    /// Per schema column (by name): where its value comes from; a column not listed is absent.
    public var columns: [String: ColumnSource]
    /// Columns of the user's own (`type:`), read like the table's standard ones.
    public var ownColumns: [ColumnSpec]

    public init(
        files: [String], encoding: SourceEncoding = .auto, delimiter: UInt8? = nil, decimalComma: Bool? = nil,
        dates: DateStyle = .auto, skipLines: Int = 0, headers: [HeaderRequest] = [], filter: SourceFunction? = nil,
        columns: [String: ColumnSource] = [:], ownColumns: [ColumnSpec] = []
    ) {
        self.files = files
        self.encoding = encoding
        self.delimiter = delimiter
        self.decimalComma = decimalComma
        self.dates = dates
        self.skipLines = skipLines
        self.headers = headers
        self.filter = filter
        self.columns = columns
        self.ownColumns = ownColumns
    }

    /// The columns whose cell names an account by its name (`link: name`).
    public var linkedColumns: [String] { columns.filter(\.value.link).map(\.key).sorted() }
}

/// `encoding:` of a block.
public enum SourceEncoding: String, Sendable, CaseIterable {
    case auto
    case utf8 = "utf-8"
    case windows1251 = "windows-1251"
}

/// A header a block reads: the first of its alternatives that the file has.
public struct HeaderRequest: Sendable, Hashable {
    /// Alternatives as written (`Name` or `Name#2` for the second occurrence).
    public var names: [String]
    /// Line of the sources file that asked for it (for the report when a file lacks it).
    public var line: Int

    public init(names: [String], line: Int) {
        self.names = names
        self.line = line
    }

    /// The header text and which occurrence (1-based) `name` means.
    static func split(_ name: String) -> (header: String, occurrence: Int) {
        if let hash = name.lastIndex(of: "#"), let n = Int(name[name.index(after: hash)...]), n >= 1 {
            return (String(name[..<hash]), n)
        }
        return (name, 1)
    }

    /// Headers match trimmed and case-insensitively (any script: Russian headers too).
    static func key(_ text: String) -> String {
        text.trimmingSpaces().lowercased()
    }
}

/// Where a column's value comes from.
public struct ColumnSource: Sendable {
    public enum Value: Sendable {
        /// The cell of header `index`, as it is.
        case header(Int)
        /// The cell of header `index` translated through `table` (keys trimmed and lower-cased);
        /// a value not listed becomes `otherwise`, or stays as it is when that is `nil`.
        case mapped(Int, table: [String: String], otherwise: String?)
        /// An expression over the row.
        case computed(SourceFunction)
    }

    public var value: Value
    /// The cell names an account by its name; resolved once the accounts are read.
    public var link: Bool
    /// How reports name the column: the header, or the column's own name for an expression.
    public var label: String

    public init(_ value: Value, link: Bool = false, label: String) {
        self.value = value
        self.link = link
        self.label = label
    }
}

/// A compiled `where` or `expr`: reads a row's cells, gives a value; throws when a header's
/// cell cannot be parsed as the number or date the expression needs.
public struct SourceFunction: Sendable {
    public let body: @Sendable (borrowing SourceRow) throws(SourceCellError) -> SourceValue
    /// The same text as `body`'s, written as bytes (no `String` per row), when the
    /// expression allows it; it may still answer `.unsure` for a row, and then `body` runs.
    public let bytes: TextWriter?

    public init(
        _ body: @escaping @Sendable (borrowing SourceRow) throws(SourceCellError) -> SourceValue,
        bytes: TextWriter? = nil
    ) {
        self.body = body
        self.bytes = bytes
    }
}

/// Writes a text expression's value at the end of a `TextScratch`.
public typealias TextWriter = @Sendable (borrowing SourceRow, TextScratch) -> TextWritten

/// What a `TextWriter` gave.
public enum TextWritten: Sendable {
    /// Null; nothing written.
    case null
    /// Text (possibly empty), the bytes written since the call began.
    case text
    /// The bytes cannot tell (e.g. Unicode spaces at an edge to trim): the expression must
    /// run on `String`s. What was written is to be dropped.
    case unsure
}

/// Growable bytes that text expressions write into, reused from row to row.
public final class TextScratch {
    // Used by one thread at a time: no dynamic exclusivity checks on each access.
    @exclusivity(unchecked) public private(set) var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) public private(set) var count = 0
    @exclusivity(unchecked) private var capacity: Int

    public init(capacity: Int = 1024) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Forgets the bytes after the first `count`.
    public func truncate(to count: Int) { self.count = count }

    public func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if count + n > capacity {
            capacity = (count + n) * 2
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: base, count: count)
            base.deallocate()
            base = grown
        }
        (base + count).update(from: p, count: n)
        count += n
    }

    /// Drops ASCII white space (tab, line ends, VT, FF, space) at both ends of the bytes after
    /// `start`; `false` when the text's first or last character after that is not plainly a
    /// character that trimming keeps (only ASCII and Cyrillic U+0400–U+047F are), as then only
    /// `String`'s trimming of Unicode white space can decide.
    public func trimSpaces(from start: Int) -> Bool {
        @inline(__always) func space(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        var lo = start
        var hi = count
        while lo < hi && space(base[lo]) { lo += 1 }
        while hi > lo && space(base[hi - 1]) { hi -= 1 }
        if lo < hi {
            let first = base[lo]
            if first >= 0x80 && first != 0xD0 && first != 0xD1 { return false }
            if base[hi - 1] >= 0x80 {
                guard hi - lo >= 2, base[hi - 2] == 0xD0 || base[hi - 2] == 0xD1 else { return false }
            }
        }
        if lo > start { UnsafeMutableRawPointer(base + start).copyMemory(from: base + lo, byteCount: hi - lo) }
        count = start + (hi - lo)
        return true
    }
}

/// The value of a source expression.
public enum SourceValue: Sendable, Equatable {
    case null
    case text(String)
    case number(Double)
    case day(Int32)
    case bool(Bool)
}

/// A cell that an expression could not read as it needed.
public struct SourceCellError: Error, Sendable {
    /// The header index (`SourceRow`) of the cell.
    public var header: Int
    public var reason: String

    public init(header: Int, reason: String) {
        self.header = header
        self.reason = reason
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and no-break spaces.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\u{202F}" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
