import KamwatchVocabulary

extension Book {
    /// Reads a data directory through a sources file (SPEC §6): tables its blocks describe
    /// from the files their globs match, the others as SPEC §1 says; then `link: name`
    /// columns are resolved against the accounts read.
    public static func load(
        directory: String, sources: SourcePlan, keeping selection: ColumnSelection = .all
    ) throws(DataDirectory.ScanError) -> (book: Book, issues: [InputIssue]) {
        try load(directory: directory, sources: sources, keeping: selection, chunkSize: TableReader.defaultChunkSize)
    }

    /// `load(directory:sources:keeping:)` with big files split into chunks of about `chunkSize` bytes,
    /// on `workers` threads (by default one per core). `linkChunks` (for tests) says which chunks
    /// get their links resolved before their table is merged: those decoded after the accounts
    /// were indexed and the others while merging (`.all`), only while merging, or none (each
    /// table resolved once merged).
    static func load(
        directory: String, sources: SourcePlan, keeping selection: ColumnSelection, chunkSize: Int,
        workers: Int? = nil, linkChunks: SourceLinking.ChunkLinking = .all
    ) throws(DataDirectory.ScanError) -> (book: Book, issues: [InputIssue]) {
        let files = try files(directory: directory, sources: sources)
        // Reading, linking names and assembling overlap: each table is resolved and put into
        // the book as soon as it is read (and the accounts are).
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, ownsTables: true, keeping: selection)
        let linking = SourceLinking(plan: sources, pool: pool, priority: BookBuilder.Priority.merge) { data in
            builder.add(data)
        }
        let tableIssues = ResultSlots<[InputIssue]>(count: TableName.allCases.count)
        TableReader.read(
            files, in: directory, chunkSize: chunkSize, keeping: selection, sources: sources, on: pool,
            rank: BookBuilder.Priority.decodeRank, mergePriority: BookBuilder.Priority.merge,
            chunks: linking.hooks(linkChunks)
        ) { data in
            tableIssues.set(TableName.allCases.firstIndex(of: data.table)!, data.issues)
            linking.add(data)
        }
        for table in TableName.allCases where files[table] == nil { linking.add(.empty(table)) }
        if let workers { pool.run(workers: workers) } else { pool.run() }
        var issues: [InputIssue] = []
        for i in TableName.allCases.indices { issues.append(contentsOf: tableIssues.take(i) ?? []) }
        issues += linking.issues()
        let (book, linkIssues) = builder.book()
        return (book, issues + linkIssues)
    }

    /// The names of the files in `directory` that `sources` reads, for every table.
    public static func fileNames(
        directory: String, sources: SourcePlan
    ) throws(DataDirectory.ScanError) -> [String] {
        Array(try files(directory: directory, sources: sources).values.joined())
    }

    /// The files of each table `sources` assigns them to.
    private static func files(
        directory: String, sources: SourcePlan
    ) throws(DataDirectory.ScanError) -> [TableName: [String]] {
        let files = sources.assign(try DataDirectory.listNames(directory))
        guard files[.accounts] != nil else {
            let patterns = sources.tables[.accounts]?.files.joined(separator: ", ") ?? "accounts.csv"
            throw DataDirectory.ScanError(
                path: directory, reason: "no accounts file (\(patterns)) in the data directory")
        }
        return files
    }

    /// The tables of `directory` read through `sources`, links not resolved yet.
    public static func readTables(
        directory: String, sources: SourcePlan, keeping selection: ColumnSelection = .all
    ) throws(DataDirectory.ScanError) -> [TableName: TableData] {
        TableReader.read(
            try files(directory: directory, sources: sources), in: directory, keeping: selection, sources: sources)
    }
}
