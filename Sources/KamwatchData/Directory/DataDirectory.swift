import Foundation
import KamwatchVocabulary

/// The data directory: which files hold which table (SPEC §1).
public enum DataDirectory {
    /// Why the directory could not be listed.
    public struct ScanError: Error, Sendable, CustomStringConvertible {
        /// The data directory.
        public var path: String
        /// What went wrong, for a person.
        public var reason: String
        /// `path: reason`.
        public var description: String { "\(path): \(reason)" }
    }

    /// The table a file name feeds, or `nil` when the file is ignored.
    ///
    /// `<table>.csv`, `<table>[-_.]<anything>.csv` and the same with `.gz`; names starting
    /// with `.` or ending in `~`, `.tmp`, `.part`, `.swp` are files still being written.
    /// Names are case-sensitive.
    public static func table(forFileName name: String) -> TableName? {
        if isIgnored(name) { return nil }
        let stem: Substring
        if name.hasSuffix(".csv") {
            stem = name.dropLast(4)
        } else if name.hasSuffix(".csv.gz") {
            stem = name.dropLast(7)
        } else {
            return nil
        }
        // `service_costs` before anything shorter it could be mistaken for.
        for table in TableName.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            let base = table.rawValue
            if stem == base { return table }
            if stem.count > base.count + 1 && stem.hasPrefix(base) {
                let sep = stem[stem.index(stem.startIndex, offsetBy: base.count)]
                if sep == "-" || sep == "_" || sep == "." { return table }
            }
        }
        return nil
    }

    /// Whether a file is one still being written (or hidden): names starting with `.` or
    /// ending in `~`, `.tmp`, `.part`, `.swp`.
    public static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
            || name.hasSuffix(".swp")
    }

    /// Lists the directory: for each table that has files, their names in byte order.
    public static func scan(_ path: String) throws(ScanError) -> [TableName: [String]] {
        var tables: [TableName: [String]] = [:]
        for name in try listNames(path) {
            guard let table = table(forFileName: name) else { continue }
            tables[table, default: []].append(name)
        }
        for key in tables.keys {
            tables[key]!.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
        return tables
    }

    /// Names in `path` (of any kind: see `listNames`), in byte order.
    public static func scanNames(_ path: String) throws(ScanError) -> [String] {
        try listNames(path).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// Names in `path`, whatever they name: a FIFO, a directory or a dangling link named like a
    /// table is listed too, so that reading it reports why it was skipped (`OpenFile`) instead
    /// of the table silently missing rows. Links are followed, also out of the directory.
    static func listNames(_ path: String) throws(ScanError) -> [String] {
        guard let dir = opendir(path) else {
            throw ScanError(path: path, reason: "cannot read the data directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }
}
