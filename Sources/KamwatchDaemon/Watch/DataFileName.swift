import KamwatchData

/// Which table a file in the data directory belongs to (SPEC §1).
public enum DataFileName {
    /// `<table>.csv`, `<table>[-_.]<anything>.csv`, and the same with `.gz`; `nil` for files that
    /// are ignored: names starting with `.`, ending in `~`, `.tmp`, `.part`, `.swp`, or naming no table.
    public static func table(for name: String) -> TableName? {
        if name.hasPrefix(".") || name.hasSuffix("~") { return nil }
        for suffix in [".tmp", ".part", ".swp"] where name.hasSuffix(suffix) { return nil }
        let base: Substring
        if name.hasSuffix(".csv.gz") {
            base = name.dropLast(7)
        } else if name.hasSuffix(".csv") {
            base = name.dropLast(4)
        } else {
            return nil
        }
        for table in TableName.allCases {
            let t = table.rawValue
            if base == t { return table }
            if base.hasPrefix(t), let next = base.dropFirst(t.count).first, "-_.".contains(next) { return table }
        }
        return nil
    }
}
