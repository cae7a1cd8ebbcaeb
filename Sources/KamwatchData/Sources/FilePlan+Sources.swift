import KamwatchVocabulary

/// What the lines above a mapped file's data taught: its header, through the block.
struct MappedHeader: Sendable {
    var learned: LearnedHeader
    var header: SourceHeader
    /// Records read up to and including the header row (title lines, blank lines), and
    /// of these the title lines skipped before the dialect was known.
    var records: Int
    var titleRecords: Int
}

extension FilePlan {
    /// Reads the title lines and the header row of a mapped file; `raw`: the reader holds the
    /// file's own Windows-1251 bytes (no BOM to skip, header cells converted here).
    static func readMappedHeader(
        _ reader: RecordReader, block: TableSource, schema: TableSchema, name: String, sourcesFile: String,
        windows1251: Bool, raw: Bool = false
    ) throws(ReadFailure) -> MappedHeader? {
        if !raw { try reader.skipBOM() }
        var lines = 0
        var records = 0
        if block.skipLines > 0 {
            reader.setDelimiter(block.delimiter ?? UInt8(ascii: ","))
            while lines < block.skipLines, try reader.next() {
                lines += reader.recordNewlines
                records += 1
            }
        }
        var dialect = CSVDialect(delimiter: block.delimiter ?? UInt8(ascii: ","))
        if block.delimiter == nil {
            dialect = try reader.withFirstLine { p, n in CSVDialect.detect(headerLine: p, count: n) }
            if reader.firstLineEndsWithCR { dialect.lineEnd = UInt8(ascii: "\r") }
        }
        reader.setDialect(dialect)
        let titleRecords = records
        while try reader.next() {
            lines += reader.recordNewlines
            records += 1
            let cells = (0..<reader.fieldCount).map { raw ? reader.windows1251CellString($0) : reader.cellString($0) }
            if cells.contains(where: { !$0.isEmpty }) {
                let mapped = SourceHeader(
                    header: cells, source: block, schema: schema, file: name, sourcesFile: sourcesFile)
                let encoding: TextEncoding = windows1251 ? .windows1251 : reader.sawBOM ? .utf8WithBOM : .utf8
                let learned = LearnedHeader(
                    mapping: mapped.mapping, dialect: dialect, encoding: encoding, firstDataLine: lines + 1)
                return MappedHeader(learned: learned, header: mapped, records: records, titleRecords: titleRecords)
            }
        }
        return nil
    }

    /// Reads a mapped file: title lines, the header row, then its rows through the block.
    func decodeMapped(_ reader: RecordReader, block: TableSource, expectedBytes: Int, into out: inout ChunkOutput) {
        do throws(ReadFailure) {
            guard
                let mapped = try FilePlan.readMappedHeader(
                    reader, block: block, schema: schema, name: name, sourcesFile: sourcesFile,
                    windows1251: windows1251, raw: windows1251)
            else {
                out.invalidUTF8 = reader.invalidUTF8
                if !reader.invalidUTF8 { out.failure = ReadFailure(reason: "no header row (the file is empty)") }
                return
            }
            out.header = mapped.learned
            out.fileIssue = mapped.header.missing.map { (mapped.learned.firstDataLine - 1, $0) }
            var decoder = mappedDecoder(block: block, header: mapped)
            decoder.windows1251 = windows1251
            decoder.decode(reader, limit: Int.max, expectedBytes: expectedBytes, into: &out)
        } catch {
            out.failure = error
        }
    }

    /// The row decoder of a mapped file with `header`.
    func mappedDecoder(block: TableSource, header mapped: MappedHeader) -> MappedRowDecoder {
        let layout = ColumnLayout(schema: schema)
        var stored = schema.columns.indices.map { selection.keepsWhileReading(in: schema, slot: $0) }
        // Names are what `link: name` looks accounts up by.
        if schema.table == .accounts, let slot = schema.index(of: "name") { stored[slot] = true }
        let dialect = mapped.learned.dialect
        return MappedRowDecoder(
            schema: schema, source: block, header: mapped.header,
            decimalComma: block.decimalComma ?? dialect.decimalComma, layout: layout, stored: stored)
    }
}
