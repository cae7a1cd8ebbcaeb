import KamwatchVocabulary

extension SourcePlan {
    /// Which files feed which table: a table with a block takes the files its globs match
    /// (a trailing `.gz` removed; SPEC §1's ignore rules first), in byte order; a table without
    /// one takes SPEC §1's names, except files a block already took. One file may feed two tables.
    public func assign(_ names: [String]) -> [TableName: [String]] {
        var tables: [TableName: [String]] = [:]
        let globs = self.tables.mapValues { $0.files.compactMap { try? Glob($0) } }
        var taken = Set<String>()
        for name in names where !DataDirectory.isIgnored(name) {
            let stem = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
            for (table, patterns) in globs where patterns.contains(where: { $0.matches(stem) }) {
                tables[table, default: []].append(name)
                taken.insert(name)
            }
        }
        for name in names where !taken.contains(name) {
            guard let table = DataDirectory.table(forFileName: name), self.tables[table] == nil else { continue }
            tables[table, default: []].append(name)
        }
        for key in tables.keys {
            tables[key]!.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        return tables
    }
}
