import KamwatchVocabulary

extension Book {
    /// Reads a whole data directory: every table's files, concurrently, then assembled.
    ///
    /// Returns every problem found (bad rows, unreadable files, rows naming no account,
    /// parent cycles), tables in `TableName` order. Throws only when the directory cannot be
    /// listed or has no `accounts` file.
    ///
    /// `selection` names the text columns to keep: the others are read and checked as usual,
    /// but all their cells are absent in the book.
    public static func load(
        directory: String, keeping selection: ColumnSelection = .all
    ) throws(DataDirectory.ScanError) -> (book: Book, issues: [InputIssue]) {
        try load(directory: directory, keeping: selection, chunkSize: TableReader.defaultChunkSize)
    }

    /// `load(directory:keeping:)` with big plain files split into chunks of about `chunkSize` bytes.
    static func load(
        directory: String, keeping selection: ColumnSelection, chunkSize: Int
    ) throws(DataDirectory.ScanError) -> (book: Book, issues: [InputIssue]) {
        let files = try DataDirectory.scan(directory)
        guard files[.accounts] != nil else {
            throw DataDirectory.ScanError(
                path: directory, reason: "no accounts table (accounts.csv) in the data directory")
        }
        // Reading and assembling overlap: each table is put into the book as soon as it is read.
        let pool = JobPool()
        let builder = BookBuilder(pool: pool, ownsTables: true, keeping: selection)
        let tableIssues = ResultSlots<[InputIssue]>(count: TableName.allCases.count)
        TableReader.read(
            files, in: directory, chunkSize: chunkSize, keeping: selection, on: pool,
            rank: BookBuilder.Priority.decodeRank, mergePriority: BookBuilder.Priority.merge,
            chunks: TableReader.ChunkHooks(
                decoded: { _, _ in }, merging: { _, _, _, _ in }, lookUp: builder.lookUpWhileDecoding)
        ) { data in
            tableIssues.set(TableName.allCases.firstIndex(of: data.table)!, data.issues)
            builder.add(data)
        }
        for table in TableName.allCases where files[table] == nil { builder.add(.empty(table)) }
        pool.run()
        var issues: [InputIssue] = []
        for i in TableName.allCases.indices { issues.append(contentsOf: tableIssues.take(i) ?? []) }
        let (book, linkIssues) = builder.book()
        return (book, issues + linkIssues)
    }
}

extension Book {
    /// Reads the tables `files` lists (each table's files in reading order; the accounts must
    /// be among them) and assembles the book whole, reading and assembling overlapping as in
    /// `load(directory:keeping:)`: each table's chunks are freed as it goes into the book, so
    /// that the data is never held twice. `read` gets each table as read, before it goes into
    /// the book (for its files and issues; it must not keep it). With `sources`, the files are
    /// read through it and `link: name` columns resolved against the accounts read.
    ///
    /// Returns `nil` when `cancellation` was cancelled (nothing is assembled then); else the
    /// book with the problems of linking (names first), apart from those of each table
    /// grouped by account, as `assembleByTable(_:keeping:)` gives them.
    public static func loadByTable(
        _ files: [TableName: [String]], in directory: String, keeping selection: ColumnSelection = .all,
        sources: SourcePlan? = nil, cancellation: ReadCancellation? = nil,
        read: @escaping @Sendable (TableData) -> Void
    ) -> (book: Book, linkIssues: [InputIssue], tableIssues: [TableName: [InputIssue]])? {
        precondition(files[.accounts] != nil, "the book is assembled with its accounts")
        let pool = JobPool(cancellation: cancellation)
        let builder = BookBuilder(pool: pool, ownsTables: true, keeping: selection)
        let linking = sources.map { plan in
            SourceLinking(plan: plan, pool: pool, priority: BookBuilder.Priority.merge) { data in builder.add(data) }
        }
        let hooks =
            linking.map { $0.hooks(.all) }
            ?? TableReader.ChunkHooks(
                decoded: { _, _ in }, merging: { _, _, _, _ in }, lookUp: builder.lookUpWhileDecoding)
        TableReader.read(
            files, in: directory, chunkSize: TableReader.defaultChunkSize, keeping: selection, sources: sources,
            on: pool, rank: BookBuilder.Priority.decodeRank, mergePriority: BookBuilder.Priority.merge,
            chunks: hooks
        ) { data in
            read(data)
            if let linking { linking.add(data) } else { builder.add(data) }
        }
        for table in TableName.allCases where files[table] == nil {
            if let linking { linking.add(.empty(table)) } else { builder.add(.empty(table)) }
        }
        pool.run()
        if cancellation?.isCancelled ?? false { return nil }
        let whole = builder.bookByTable()
        return (whole.book, (linking?.issues() ?? []) + whole.linkIssues, whole.tableIssues)
    }
}
