import KamwatchData
import KamwatchVocabulary
import Logging
import Synchronization

/// The book of the last good contents of each table; tables are re-read one by one as their
/// files change. The book is the only copy of the data: a contacts, orders or service costs
/// table read again is grouped into it on its own; a change of the accounts or the events (or
/// of a table linked by name) has every table read again and the book assembled whole.
struct DataCache: Sendable {
    let directory: String
    /// What the last read of each table showed (also of a read whose contents were refused).
    private(set) var facts: [TableName: TableFacts] = [:]
    /// The text columns kept: those the rules read. Cells of the others are checked, not stored.
    private(set) var selection: ColumnSelection
    /// How the exports map onto the tables (SPEC §6); `nil` for SPEC §1's own layout.
    private(set) var sources: SourcePlan?
    /// Problems of the current data that are not tied to one file (rows naming no account, cycles).
    private var linkIssues: Set<InputIssue> = []
    /// The book of the last good tables, and its problems: those of linking the accounts, and
    /// those of each table grouped by account.
    private var assembled: Book?
    private var accountIssues: [InputIssue] = []
    private var tableIssues: [TableName: [InputIssue]] = [:]
    /// Tables read and not put into `assembled` yet (only until the next `book(logger:)`, or
    /// while there are no accounts).
    private var pending: [TableName: TableData] = [:]
    /// Tables whose new contents could not be put into the book because another table they
    /// are assembled with could not be read: read again with the next change.
    private var waiting: Set<TableName> = []
    /// The tables whose new contents the next book holds (those read by the last `reload`,
    /// and any read before it that no book holds yet).
    var renewed: Set<TableName> { Set(pending.keys).union(loaded) }
    /// The tables of a book assembled whole while reading (see `reload`), until `book(logger:)`.
    private var loaded: Set<TableName> = []
    /// Which files fed which table at the last read (with a sources file).
    private var assignment: [TableName: [String]] = [:]

    init(directory: String, keeping selection: ColumnSelection = .all, sources: SourcePlan? = nil) {
        self.directory = directory
        self.selection = selection
        self.sources = sources
    }

    /// Whether accounts were read: without them there is no book.
    var hasAccounts: Bool { assembled != nil || pending[.accounts] != nil }

    /// Reads the data through `sources` from now on; every table must then be read again.
    mutating func use(_ sources: SourcePlan?) {
        self.sources = sources
        waiting = Set(TableName.allCases)
    }

    /// Whether a new `table` makes the book be assembled whole: it changes the accounts' index,
    /// or its links are names to resolve against the accounts.
    private func assemblesWhole(_ table: TableName) -> Bool {
        !Book.regroupable.contains(table) || !(sources?.tables[table]?.linkedColumns.isEmpty ?? true)
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
        let held = assembled != nil || !pending.isEmpty
        let stale: Set<TableName> = self.selection.covers(selection) || !held ? [] : Set(TableName.allCases)
        self.selection = selection
        return stale
    }

    /// Re-reads `names` (and the tables waiting, see `waiting`); a table whose files cannot be
    /// read keeps its last good contents. When the book must be assembled whole, every table is
    /// read again. Returns a reason when the data as a whole is unusable (no accounts). Once
    /// `cancellation` is cancelled, tables not read whole keep their last contents.
    mutating func reload(
        _ names: Set<TableName>, logger: Logger, cancellation: ReadCancellation? = nil
    ) -> String? {
        let files: [TableName: [String]]
        let asked = names.union(waiting)
        var names = asked
        if assembled == nil || names.contains(where: assemblesWhole) {
            // The book is assembled whole: from tables as they are now, each read once more.
            names = Set(TableName.allCases)
            if assembled == nil { names.subtract(pending.keys.filter { !asked.contains($0) }) }
        }
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
        waiting = []
        if assembled == nil, pending.isEmpty, names.count == TableName.allCases.count, files[.accounts] != nil {
            return load(files, logger: logger, cancellation: cancellation)
        }
        var toRead: [TableName: [String]] = [:]
        var problem: String?
        // Tables that keep their last good contents although they were to be read again.
        var kept = Set<TableName>()
        for name in names {
            if let list = files[name] {
                toRead[name] = list
            } else if name == .accounts {
                // Without accounts every alert would resolve: keep the last good accounts instead.
                problem = "no accounts table (accounts.csv) in \(directory)"
                logger.error("no accounts table (accounts.csv) in the data directory; keeping the last good accounts")
                kept.insert(name)
            } else {
                pending[name] = .empty(name)
                facts[name] = nil
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
            if !broken.isEmpty, assembled != nil || pending[name] != nil {
                problem = "cannot read \(broken.joined(separator: ", "))"
                logger.error(
                    "cannot read \(broken.joined(separator: ", ")); \(name.rawValue) keeps its last good contents"
                )
                kept.insert(name)
                continue
            }
            pending[name] = data
        }
        if assembled != nil, !kept.isEmpty, pending.keys.contains(where: assemblesWhole) {
            // The book cannot be assembled whole without the tables kept (their last good rows
            // are in the book only): what needs it waits for the next change, the tables that
            // changed on their own are grouped into the book as before.
            let whole = pending.keys.filter(assemblesWhole)
            waiting.formUnion(whole)
            for name in pending.keys where assemblesWhole(name) || !asked.contains(name) { pending[name] = nil }
            logger.warning(
                "\(whole.map(\.rawValue).sorted().joined(separator: ", ")) read again once every table can be read")
        }
        return hasAccounts ? problem : "no accounts table (accounts.csv) in \(directory)"
    }

    /// The first read: every table, assembled as it is read (the data is never held twice).
    /// With nothing read before, a table is taken as it is read, even with files that cannot be.
    private mutating func load(
        _ files: [TableName: [String]], logger: Logger, cancellation: ReadCancellation?
    ) -> String? {
        let seen = Mutex<[TableName: (facts: TableFacts, issues: [InputIssue])]>([:])
        let directory = directory
        let whole = Book.loadByTable(
            files, in: directory, keeping: selection, sources: sources, cancellation: cancellation
        ) { data in
            let facts = TableFacts(data, directory: directory)
            seen.withLock { $0[data.table] = (facts, data.issues) }
        }
        let read = seen.withLock { $0 }
        for name in TableName.allCases {
            guard let (fileFacts, issues) = read[name] else {
                if files[name] == nil { facts[name] = nil }
                continue
            }
            log(issues, logger: logger)
            facts[name] = fileFacts
        }
        guard let whole else { return nil }
        accountIssues = whole.linkIssues
        tableIssues = whole.tableIssues
        assembled = whole.book
        loaded = Set(TableName.allCases)
        noteIssues(logger: logger)
        return nil
    }

    /// The book of the current tables; problems found while linking are logged when new.
    /// When only tables grouped by account changed, only those are grouped again.
    mutating func book(logger: Logger) -> Book {
        loaded = []
        if pending.isEmpty, let assembled { return assembled }
        let book: Book
        if let assembled, !pending.keys.contains(where: assemblesWhole) {
            var tables = TableName.allCases.compactMap { pending.removeValue(forKey: $0) }
            let (regrouped, issues) = assembled.replacing(taking: &tables, keeping: selection)
            for (table, found) in issues { tableIssues[table] = found }
            book = regrouped
        } else {
            // The last book goes first: its columns and the new tables' are not held together.
            assembled = nil
            var all = pending
            pending = [:]
            for name in TableName.allCases where all[name] == nil { all[name] = .empty(name) }
            let nameIssues = sources?.resolveLinks(&all) ?? []
            let whole = Book.assembleByTable(taking: &all, keeping: selection)
            accountIssues = nameIssues + whole.linkIssues
            tableIssues = whole.tableIssues
            book = whole.book
        }
        assembled = book
        noteIssues(logger: logger)
        return book
    }

    /// Logs the problems of the book not logged before.
    private mutating func noteIssues(logger: Logger) {
        let issues = accountIssues + TableName.allCases.flatMap { tableIssues[$0] ?? [] }
        log(issues.filter { !linkIssues.contains($0) }, logger: logger)
        linkIssues = Set(issues)
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
