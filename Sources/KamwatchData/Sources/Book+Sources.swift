import KamwatchVocabulary

extension Book {
    /// Reads a data directory through a sources file (SPEC §6): tables its blocks describe
    /// from the files their globs match, the others as SPEC §1 says; then `link: name`
    /// columns are resolved against the accounts read.
    public static func load(
        directory: String, sources: SourcePlan, keeping selection: ColumnSelection = .all
    ) throws(DataDirectory.ScanError) -> (book: Book, issues: [InputIssue]) {
        var tables = try readTables(directory: directory, sources: sources, keeping: selection)
        var issues: [InputIssue] = []
        for table in TableName.allCases { issues += tables[table]?.issues ?? [] }
        issues += sources.resolveLinks(&tables)
        let (book, linkIssues) = assemble(taking: &tables)
        return (book, issues + linkIssues)
    }

    /// The tables of `directory` read through `sources`, links not resolved yet.
    public static func readTables(
        directory: String, sources: SourcePlan, keeping selection: ColumnSelection = .all
    ) throws(DataDirectory.ScanError) -> [TableName: TableData] {
        let files = sources.assign(try DataDirectory.listNames(directory))
        guard files[.accounts] != nil else {
            let patterns = sources.tables[.accounts]?.files.joined(separator: ", ") ?? "accounts.csv"
            throw DataDirectory.ScanError(
                path: directory, reason: "no accounts file (\(patterns)) in the data directory")
        }
        return TableReader.read(files, in: directory, keeping: selection, sources: sources)
    }
}
