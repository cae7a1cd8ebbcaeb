extension Book {
    /// Reads a whole data directory: every table's files, concurrently, then assembled.
    ///
    /// Returns every problem found (bad rows, unreadable files, rows naming no account,
    /// parent cycles), tables in `TableName` order. Throws only when the directory cannot be
    /// listed or has no `accounts` file.
    public static func load(directory: String) throws(DataDirectory.ScanError) -> (book: Book, issues: [DataIssue]) {
        let files = try DataDirectory.scan(directory)
        guard files[.accounts] != nil else {
            throw DataDirectory.ScanError(
                path: directory, reason: "no accounts table (accounts.csv) in the data directory")
        }
        var tables = TableReader.read(files, in: directory)
        var issues: [DataIssue] = []
        for table in TableName.allCases {
            if let data = tables[table] { issues.append(contentsOf: data.issues) }
        }
        let (book, linkIssues) = assemble(taking: &tables)
        return (book, issues + linkIssues)
    }
}
