import KamwatchVocabulary

extension FilePlan {
    /// Reads a mapped file: title lines, the header row, then its rows through the block.
    func decodeMapped(_ reader: RecordReader, block: TableSource, into out: inout ChunkOutput) {
        do throws(ReadFailure) {
            try reader.skipBOM()
            var lines = 0
            if block.skipLines > 0 {
                reader.setDelimiter(block.delimiter ?? UInt8(ascii: ","))
                while lines < block.skipLines, try reader.next() { lines += reader.recordNewlines }
            }
            var dialect = CSVDialect(delimiter: block.delimiter ?? UInt8(ascii: ","))
            if block.delimiter == nil {
                dialect = try reader.withFirstLine { p, n in CSVDialect.detect(headerLine: p, count: n) }
                if reader.firstLineEndsWithCR { dialect.lineEnd = UInt8(ascii: "\r") }
            }
            reader.setDialect(dialect)
            var header: [String]?
            while try reader.next() {
                lines += reader.recordNewlines
                let cells = (0..<reader.fieldCount).map { reader.cellString($0) }
                if cells.contains(where: { !$0.isEmpty }) {
                    header = cells
                    break
                }
            }
            guard let header else {
                out.invalidUTF8 = reader.invalidUTF8
                if !reader.invalidUTF8 { out.failure = ReadFailure(reason: "no header row (the file is empty)") }
                return
            }
            let mapped = SourceHeader(
                header: header, source: block, schema: schema, file: name, sourcesFile: sourcesFile)
            let encoding: TextEncoding = windows1251 ? .windows1251 : reader.sawBOM ? .utf8WithBOM : .utf8
            out.header = LearnedHeader(
                mapping: mapped.mapping, dialect: dialect, encoding: encoding, firstDataLine: lines + 1)
            out.fileIssue = mapped.missing.map { (lines, $0) }
            let layout = ColumnLayout(schema: schema)
            var stored = schema.columns.indices.map { selection.keepsWhileReading(in: schema, slot: $0) }
            // Names are what `link: name` looks accounts up by.
            if schema.table == .accounts, let slot = schema.index(of: "name") { stored[slot] = true }
            let decoder = MappedRowDecoder(
                schema: schema, source: block, header: mapped,
                decimalComma: block.decimalComma ?? dialect.decimalComma, layout: layout, stored: stored)
            decoder.decode(reader, into: &out)
        } catch {
            out.failure = error
        }
    }
}
