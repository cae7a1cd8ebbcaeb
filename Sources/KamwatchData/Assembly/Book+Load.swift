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
