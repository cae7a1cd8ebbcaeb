import KamwatchData
import KamwatchVocabulary

/// What changed in the data directory: some tables, or (after an inotify overflow) possibly everything.
public struct DataChange: Sendable, Hashable {
    public var tables: Set<TableName>
    /// Every table must be read again (the kernel dropped events, or the directory itself changed).
    public var rescan: Bool
    /// The names of the files that changed, when a sources file decides which table each feeds.
    public var files: Set<String>

    public init(tables: Set<TableName> = [], rescan: Bool = false, files: Set<String> = []) {
        self.tables = tables
        self.rescan = rescan
        self.files = files
    }

    public static let everything = DataChange(rescan: true)

    public var isEmpty: Bool { tables.isEmpty && !rescan }

    /// The tables to read again.
    public var affectedTables: Set<TableName> { rescan ? Set(TableName.allCases) : tables }

    public mutating func formUnion(_ other: DataChange) {
        tables.formUnion(other.tables)
        rescan = rescan || other.rescan
        files.formUnion(other.files)
    }
}
