import KamwatchData
import KamwatchVocabulary
import Logging

/// The last good contents of each table; tables are re-read one by one as their files change.
struct DataCache: Sendable {
    let directory: String
    private(set) var tables: [TableName: TableData] = [:]
    /// What the last read of each table showed (also of a read whose contents were refused).
    private(set) var facts: [TableName: TableFacts] = [:]
    /// The text columns kept: those the rules read. Cells of the others are checked, not stored.
    private(set) var selection: ColumnSelection
    /// How the exports map onto the tables (SPEC §6); `nil` for SPEC §1's own layout.
    private(set) var sources: SourcePlan?
    /// Problems of the current data that are not tied to one file (rows naming no account, cycles).
    private var linkIssues: Set<InputIssue> = []

    init(directory: String, keeping selection: ColumnSelection = .all, sources: SourcePlan? = nil) {
        self.directory = directory
        self.selection = selection
        self.sources = sources
    }

    /// Reads the data through `sources` from now on; every table must then be read again.
    mutating func use(_ sources: SourcePlan?) {
        self.sources = sources
    }

    /// Keeps the columns of `selection` from now on. Returns the tables that must be read
    /// again because they lack a column it keeps (all of them when it asks for more).
    mutating func keep(_ selection: ColumnSelection) -> Set<TableName> {
        let stale: Set<TableName> = self.selection.covers(selection) ? [] : Set(tables.keys)
        self.selection = selection
        return stale
    }

    /// Re-reads `names`; a table whose files cannot be read keeps its last good contents.
    /// Returns a reason when the data as a whole is unusable (no accounts).
    mutating func reload(_ names: Set<TableName>, logger: Logger) -> String? {
        let files: [TableName: [String]]
        do {
            files =
                try sources.map { plan throws(DataDirectory.ScanError) in
                    plan.assign(try DataDirectory.scanNames(directory))
                } ?? DataDirectory.scan(directory)
        } catch {
            logger.error("cannot list the data directory; keeping the last good data", metadata: ["error": "\(error)"])
            return "\(error)"
        }
        var toRead: [TableName: [String]] = [:]
        var problem: String?
        for name in names {
            if let list = files[name] {
                toRead[name] = list
            } else if name == .accounts {
                // Without accounts every alert would resolve: keep the last good accounts instead.
                problem = "no accounts table (accounts.csv) in \(directory)"
                logger.error("no accounts table (accounts.csv) in the data directory; keeping the last good accounts")
            } else {
                tables[name] = .empty(name)
                facts[name] = nil
            }
        }
        let read = TableReader.read(toRead, in: directory, keeping: selection, sources: sources)
        for name in TableName.allCases {
            guard let data = read[name] else { continue }
            log(data.issues, logger: logger)
            let fileFacts = TableFacts(data, directory: directory)
            facts[name] = fileFacts
            // A file whose header lost a required column is as good as unreadable: every row
            // would be bad, and the alerts its last good rows hold would resolve.
            let broken = data.failedFiles + fileFacts.lostColumns.keys.sorted()
            if !broken.isEmpty, tables[name] != nil {
                problem = "cannot read \(broken.joined(separator: ", "))"
                logger.error(
                    "cannot read \(broken.joined(separator: ", ")); \(name.rawValue) keeps its last good contents"
                )
                continue
            }
            tables[name] = data
        }
        return tables[.accounts] == nil ? "no accounts table (accounts.csv) in \(directory)" : problem
    }

    /// The book of the current tables; problems found while linking are logged when new.
    mutating func book(logger: Logger) -> Book {
        var all = tables
        for name in TableName.allCases where all[name] == nil { all[name] = .empty(name) }
        let nameIssues = sources?.resolveLinks(&all) ?? []
        var (book, issues) = Book.assemble(all, keeping: selection)
        issues = nameIssues + issues
        let current = Set(issues)
        log(issues.filter { !linkIssues.contains($0) }, logger: logger)
        linkIssues = current
        return book
    }

    /// Bad rows go to the journal, at most `limit` per call so that a broken export cannot flood it.
    private func log(_ issues: [InputIssue], logger: Logger, limit: Int = 100) {
        for issue in issues.prefix(limit) {
            logger.warning("bad input: \(issue)", metadata: ["file": "\(issue.file)"])
        }
        if issues.count > limit {
            logger.warning("bad input: \(issues.count - limit) more problems not shown")
        }
    }
}
