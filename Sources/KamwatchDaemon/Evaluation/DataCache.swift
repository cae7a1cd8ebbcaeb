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
    /// The book of the tables as they were when it was last assembled, and its problems: those
    /// of linking the accounts, and those of each table grouped by account.
    private var assembled: Book?
    private var accountIssues: [InputIssue] = []
    private var tableIssues: [TableName: [InputIssue]] = [:]
    /// Tables whose contents changed since `assembled` was made.
    private var changed = Set(TableName.allCases)
    /// Which files fed which table at the last read (with a sources file).
    private var assignment: [TableName: [String]] = [:]

    init(directory: String, keeping selection: ColumnSelection = .all, sources: SourcePlan? = nil) {
        self.directory = directory
        self.selection = selection
        self.sources = sources
    }

    /// Reads the data through `sources` from now on; every table must then be read again.
    mutating func use(_ sources: SourcePlan?) {
        self.sources = sources
        changed = Set(TableName.allCases)
    }

    /// The tables a change concerns. With a sources file, those fed by a changed file (before or
    /// after the change) and those whose list of files changed; the directory is listed for it.
    func tables(of change: DataChange) -> Set<TableName> {
        guard let sources, !change.rescan else { return change.affectedTables }
        // Without the files' names, any change may concern any table.
        if change.files.isEmpty { return change.tables.isEmpty ? [] : Set(TableName.allCases) }
        guard let names = try? DataDirectory.scanNames(directory) else { return Set(TableName.allCases) }
        let now = sources.assign(names)
        var out = Set<TableName>()
        for table in TableName.allCases {
            let before = assignment[table] ?? []
            let after = now[table] ?? []
            if before != after || before.contains(where: change.files.contains)
                || after.contains(where: change.files.contains)
            {
                out.insert(table)
            }
        }
        return out
    }

    /// Keeps the columns of `selection` from now on. Returns the tables that must be read
    /// again because they lack a column it keeps (all of them when it asks for more).
    mutating func keep(_ selection: ColumnSelection) -> Set<TableName> {
        let stale: Set<TableName> = self.selection.covers(selection) ? [] : Set(tables.keys)
        self.selection = selection
        changed = Set(TableName.allCases)
        return stale
    }

    /// Re-reads `names`; a table whose files cannot be read keeps its last good contents.
    /// Returns a reason when the data as a whole is unusable (no accounts). Once `cancellation`
    /// is cancelled, tables not read whole keep their last contents.
    mutating func reload(
        _ names: Set<TableName>, logger: Logger, cancellation: ReadCancellation? = nil
    ) -> String? {
        let files: [TableName: [String]]
        do {
            files =
                try sources.map { plan throws(DataDirectory.ScanError) in
                    plan.assign(try DataDirectory.scanNames(directory))
                } ?? DataDirectory.scan(directory)
            if sources != nil {
                for name in names { assignment[name] = files[name] }
            }
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
                changed.insert(name)
            }
        }
        let read = TableReader.read(
            toRead, in: directory, keeping: selection, sources: sources, cancellation: cancellation)
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
            changed.insert(name)
        }
        return tables[.accounts] == nil ? "no accounts table (accounts.csv) in \(directory)" : problem
    }

    /// The book of the current tables; problems found while linking are logged when new.
    /// When only tables grouped by account changed, only those are grouped again.
    mutating func book(logger: Logger) -> Book {
        let regroup = changed.allSatisfy { t in
            Book.regroupable.contains(t) && (sources?.tables[t]?.linkedColumns.isEmpty ?? true)
        }
        let book: Book
        if let assembled, regroup {
            if changed.isEmpty { return assembled }
            let names = TableName.allCases.filter(changed.contains)
            let (regrouped, issues) = assembled.replacing(
                names.map { tables[$0] ?? .empty($0) }, keeping: selection)
            for (table, found) in issues { tableIssues[table] = found }
            book = regrouped
        } else {
            var all = tables
            for name in TableName.allCases where all[name] == nil { all[name] = .empty(name) }
            let nameIssues = sources?.resolveLinks(&all) ?? []
            let whole = Book.assembleByTable(all, keeping: selection)
            accountIssues = nameIssues + whole.linkIssues
            tableIssues = whole.tableIssues
            book = whole.book
        }
        assembled = book
        changed = []
        let issues = accountIssues + TableName.allCases.flatMap { tableIssues[$0] ?? [] }
        log(issues.filter { !linkIssues.contains($0) }, logger: logger)
        linkIssues = Set(issues)
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
