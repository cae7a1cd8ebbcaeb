import KamwatchVocabulary

/// What `kamwatch data inspect FILE` tells a user whose export "does not load": how the file
/// was understood (table, compression, encoding, delimiter, header) and every bad row.
public struct InspectReport: Sendable {
    /// Why a file cannot be inspected at all.
    public struct UsageError: Error, Sendable, CustomStringConvertible {
        /// What is wrong and how to fix it.
        public var description: String
    }

    /// The file as given.
    public let path: String
    /// The table the file was read as.
    public let table: TableName
    /// Whether the table came from the file name (rather than `--table`).
    public let tableFromFileName: Bool
    /// The file read as the only file of `table`.
    public let data: TableData

    /// What reading found about the file.
    public var file: FileReport { data.files[0] }
    /// Whether the file could be read at all (bad rows allowed).
    public var readable: Bool { file.failure == nil }

    /// Reads `path` as a file of `table`, or of the table its name maps to.
    ///
    /// With `sources`, the file is read through the block whose files it matches (the first
    /// table of `TableName`'s order, or `table`'s block).
    public static func inspect(
        path: String, table: TableName? = nil, sources: SourcePlan? = nil
    ) throws(UsageError) -> InspectReport {
        let base = String(path.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        let mapped = sources?.assign([base]).filter { sources?.tables[$0.key] != nil }.keys
        let fromName =
            TableName.allCases.first { mapped?.contains($0) == true } ?? DataDirectory.table(forFileName: base)
        guard let chosen = table ?? fromName else {
            let names = TableName.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError(
                description:
                    "cannot tell the table from the file name \"\(base)\"; pass --table with one of \(names)")
        }
        let data =
            TableReader.read([chosen: [path]], in: nil, sources: sources)[chosen] ?? .empty(chosen)
        return InspectReport(path: path, table: chosen, tableFromFileName: table == nil, data: data)
    }

    /// The report for a person, one fact per line, then every bad row as `file:line:column: reason`.
    public var text: String {
        var out = "\(path)\n"
        func line(_ key: String, _ value: String) {
            out += "  " + key.padding(to: 12) + value + "\n"
        }
        line("table", table.rawValue + (tableFromFileName ? " (from the file name)" : " (from --table)"))
        line("compression", file.gzip ? "gzip" : "none")
        if let failure = file.failure {
            out += "error: \(failure)\n"
            return out
        }
        if let encoding = file.encoding { line("encoding", encoding.rawValue) }
        if let dialect = file.dialect {
            line(
                "delimiter",
                dialect.delimiterName + (dialect.decimalComma ? " (decimal mark '.' or ',')" : " (decimal mark '.')"))
        }
        if let header = file.header {
            line("header", header.cells.count == 1 ? "1 column" : "\(header.cells.count) columns")
            let width = min(24, header.cells.map { $0.text.count + 2 }.max() ?? 0)
            for (i, cell) in header.cells.enumerated() {
                let shown = ("\"" + cell.text + "\"").padding(to: width)
                let what: String
                if let column = cell.column {
                    what = "→ " + column + ownNote(column)
                } else if let note = cell.note {
                    what = note == HeaderMapping.readByExpression ? note : "ignored (\(note))"
                } else {
                    what = "ignored (not a column of \(table.rawValue))"
                }
                out += "    " + String(i + 1).leftPadding(to: 3) + "  " + shown + " " + what + "\n"
            }
            if !header.missingRequired.isEmpty {
                line("missing", header.missingRequired.joined(separator: ", ") + " (required: every row is bad)")
            }
            let schema = data.schema
            let absent = schema.columns.indices.filter { !schema.columns[$0].required && header.slotField[$0] < 0 }
            if !absent.isEmpty {
                line("absent", absent.map { schema.columns[$0].name }.joined(separator: ", ") + " (optional)")
            }
        }
        line("rows", "\(file.goodRows) good, \(file.badRows) bad")
        let rowIssues = data.issues.filter { $0.line != nil && $0.column != nil }
        if !rowIssues.isEmpty {
            out += "bad rows:\n"
            for issue in rowIssues { out += issue.description + "\n" }
        }
        return out
    }

    /// ` (your own: number)` when the columns a header feeds (`a, b`) include one of the user's own.
    private func ownNote(_ columns: String) -> String {
        let own = columns.split(separator: ", ").compactMap { name -> String? in
            guard let slot = data.schema.index(of: String(name)), data.schema.isOwnColumn(slot) else { return nil }
            return "\(data.schema.columns[slot].kind)"
        }
        return own.isEmpty ? "" : " (your own: \(own.joined(separator: ", ")))"
    }

    /// The good rows as JSON, one object per line, keyed by header name in header order:
    /// known columns typed (numbers as numbers, dates as `YYYY-MM-DD`), other cells as strings,
    /// empty cells as `null`.
    public func jsonRows(_ emit: (String) -> Void) {
        guard readable, let header = file.header, data.rowCount > 0 else { return }
        let schema = data.schema
        var next = 0
        FilePlan.forEachRecord(
            path: path, gzip: file.gzip, windows1251: file.encoding == .windows1251,
            delimiter: file.dialect?.delimiter ?? UInt8(ascii: ",")
        ) { line, reader in
            guard next < data.rowCount else { return false }
            guard line == Int(data.lines[next]) else { return true }
            var seen = Set<String>()
            var parts: [String] = []
            for (f, cell) in header.cells.enumerated() {
                guard seen.insert(cell.text).inserted else { continue }
                let value: String
                if let name = cell.column, let slot = schema.index(of: name) {
                    value = InspectReport.json(data.column(slot), next)
                } else {
                    let text = f < reader.fieldCount ? reader.cellString(f) : ""
                    value = text.isEmpty ? "null" : InspectReport.jsonString(text)
                }
                parts.append(InspectReport.jsonString(cell.text) + ":" + value)
            }
            emit("{" + parts.joined(separator: ",") + "}")
            next += 1
            return true
        }
    }

    static func json(_ column: Column, _ row: Int) -> String {
        switch column {
        case .text(let t): return t[row].map(jsonString) ?? "null"
        case .date(let v): return v[row] == Column.absentDate ? "null" : "\"\(Day(ordinal: v[row]))\""
        case .number(let v):
            let x = v[row]
            if x.isNaN { return "null" }
            if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
            return "\(x)"
        }
    }

    /// A JSON string literal.
    static func jsonString(_ s: String) -> String { JSONText.quote(s) }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadding(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension FilePlan {
    /// Calls `body` with the starting line and fields of each record after the header, until it
    /// returns `false`; used to show a file's cells as written.
    static func forEachRecord(
        path: String, gzip: Bool, windows1251: Bool, delimiter: UInt8,
        _ body: (Int, RecordReader) -> Bool
    ) {
        do {
            let file = try OpenFile(path: path)
            var source: any ByteSource = FileRangeSource(file: file, offset: 0)
            if gzip { source = try GzipSource(input: source) }
            if windows1251 { source = Windows1251Source(input: source) }
            let reader = RecordReader(source: source, offset: 0, checkUTF8: false, blockSize: 1 << 20)
            guard let header = try readHeader(reader, schema: .accounts, windows1251: windows1251) else { return }
            reader.setDelimiter(delimiter)
            var line = header.firstDataLine
            while try reader.next() {
                let start = line
                line += reader.recordNewlines
                if !body(start, reader) { return }
            }
        } catch {
            return
        }
    }
}
