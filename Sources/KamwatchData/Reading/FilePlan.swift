import KamwatchVocabulary

/// How one file is read: whole, or (big plain files) in chunks after its header.
struct FilePlan: Sendable {
    /// A byte range of the data section; `limit` is where the next chunk is expected to start.
    struct Chunk: Sendable {
        var start: Int
        var limit: Int
        var size: Int { limit == Int.max ? 0 : limit - start }
    }

    let name: String
    let schema: TableSchema
    var file: OpenFile?
    var gzip: Bool
    var windows1251 = false
    /// The file is read by one job that also reads the header.
    var whole = true
    var chunks: [Chunk] = []
    var failure: String?
    /// The header probe already found bytes that are not UTF-8.
    var headerInvalidUTF8 = false
    var report: FileReport
    var mapping: HeaderMapping?
    var dialect: CSVDialect?
    var firstDataLine = 2
    /// Text columns whose cells are stored (the others are read, checked and stored as absent).
    var selection = ColumnSelection.all
    /// The sources block that maps this file onto its table (`nil`: SPEC §1's own layout).
    var source: TableSource?
    /// The sources file, named in reports.
    var sourcesFile = ""
    /// A mapped file read in chunks: its header, read when planning.
    var mappedHeader: MappedHeader?

    /// Bytes a chunk's reader holds at a time: small enough that they stay in the core's
    /// cache between being read, validated, split into fields and decoded.
    static let blockSize = 512 << 10

    private init(name: String, schema: TableSchema, gzip: Bool) {
        self.name = name
        self.schema = schema
        self.gzip = gzip
        self.report = FileReport(name: name, gzip: gzip)
    }

    /// Opens `path` and, for a big plain file, reads its header and picks chunk boundaries.
    static func make(
        name: String, path: String, schema: TableSchema, chunkSize: Int, source: TableSource? = nil,
        sourcesFile: String = ""
    ) -> FilePlan {
        var plan = FilePlan(name: name, schema: schema, gzip: name.hasSuffix(".gz"))
        // One chunk even for a file that cannot be opened: its job reports the failure.
        plan.chunks = [Chunk(start: 0, limit: Int.max)]
        plan.source = source
        plan.sourcesFile = sourcesFile
        plan.windows1251 = source?.encoding == .windows1251
        let file: OpenFile
        do {
            file = try OpenFile(path: path)
        } catch {
            plan.failure = error.reason
            return plan
        }
        plan.file = file
        if plan.gzip || file.size < 2 * chunkSize { return plan }
        do {
            let reader = RecordReader(
                source: FileRangeSource(file: file, offset: 0), offset: 0, checkUTF8: true, blockSize: 1 << 16)
            let header: LearnedHeader
            let dataStart: Int
            if let source {
                // A mapped file: its header may sit below title lines, and it may be Windows-1251.
                guard let mapped = try mappedDataStart(file: file, block: source, plan: &plan) else { return plan }
                header = mapped.header
                dataStart = mapped.dataStart
            } else {
                guard let learned = try readHeader(reader, schema: schema, windows1251: false) else {
                    // Empty or not UTF-8: let the whole-file read decide and report.
                    plan.headerInvalidUTF8 = reader.invalidUTF8
                    return plan
                }
                header = learned
                dataStart = reader.position
            }
            plan.whole = false
            plan.mapping = header.mapping
            plan.dialect = header.dialect
            plan.firstDataLine = header.firstDataLine
            plan.report.header = header.mapping
            plan.report.dialect = header.dialect
            plan.report.encoding = header.encoding
            let pieces = max(1, (file.size - dataStart) / chunkSize)
            var starts = [dataStart]
            for k in 1..<max(pieces, 1) {
                let target = dataStart + (file.size - dataStart) * k / pieces
                if let split = try lineStart(after: target, in: file), split > starts.last!, split < file.size {
                    starts.append(split)
                }
            }
            plan.chunks = starts.indices.map { i in
                Chunk(start: starts[i], limit: i + 1 < starts.count ? starts[i + 1] : Int.max)
            }
        } catch {
            plan.failure = error.reason
        }
        return plan
    }

    /// Reads a big mapped file's title lines and header; `nil` when the file is to be read
    /// whole (no header row). A file found not to be UTF-8 when its encoding was not given is
    /// planned as Windows-1251.
    private static func mappedDataStart(
        file: OpenFile, block: TableSource, plan: inout FilePlan
    ) throws(ReadFailure) -> (header: LearnedHeader, dataStart: Int)? {
        let raw = FileRangeSource(file: file, offset: 0)
        let reader = RecordReader(
            source: plan.windows1251 ? Windows1251Source(input: raw) : raw, offset: 0,
            checkUTF8: !plan.windows1251 && block.encoding != .utf8, blockSize: 1 << 16)
        let mapped = try readMappedHeader(
            reader, block: block, schema: plan.schema, name: plan.name, sourcesFile: plan.sourcesFile,
            windows1251: plan.windows1251)
        if reader.invalidUTF8 {
            // Not UTF-8 (so no encoding was given): the whole file would be read again as
            // Windows-1251, every byte of which is a character. Plan it so now, in chunks like a
            // file declared so, rather than read it whole on one core.
            plan.windows1251 = true
            return try mappedDataStart(file: file, block: block, plan: &plan)
        }
        guard let mapped else { return nil }
        plan.mappedHeader = mapped
        guard plan.windows1251 else { return (mapped.learned, reader.position) }
        // Converted bytes do not count file bytes: find the same records in the file's own
        // bytes (delimiters, quotes and line ends are the same bytes in both).
        let bytes = RecordReader(
            source: FileRangeSource(file: file, offset: 0), offset: 0, checkUTF8: false, blockSize: 1 << 16)
        if block.skipLines > 0 { bytes.setDelimiter(block.delimiter ?? UInt8(ascii: ",")) }
        var records = 0
        while records < mapped.records {
            if records == mapped.titleRecords { bytes.setDialect(mapped.learned.dialect) }
            guard try bytes.next() else { return nil }
            records += 1
        }
        return (mapped.learned, bytes.position)
    }

    /// The offset just after the first line feed at or after `offset`.
    private static func lineStart(after offset: Int, in file: OpenFile) throws(ReadFailure) -> Int? {
        let source = FileRangeSource(file: file, offset: offset)
        let size = 1 << 16
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        var base = offset
        while true {
            let n = try source.read(into: buffer, count: size)
            if n == 0 { return nil }
            for i in 0..<n where buffer[i] == UInt8(ascii: "\n") { return base + i + 1 }
            base += n
        }
    }

    /// The same file, to be read in one piece as Windows-1251.
    func rereadAsWindows1251() -> FilePlan {
        var plan = FilePlan(name: name, schema: schema, gzip: gzip)
        plan.file = file
        plan.selection = selection
        plan.source = source
        plan.sourcesFile = sourcesFile
        plan.windows1251 = true
        plan.chunks = [Chunk(start: 0, limit: Int.max)]
        return plan
    }

    /// Reads the header record (skipping a BOM and blank lines before it).
    static func readHeader(
        _ reader: RecordReader, schema: TableSchema, windows1251: Bool
    ) throws(ReadFailure)
        -> LearnedHeader?
    {
        try reader.skipBOM()
        var dialect = try reader.withFirstLine { p, n in CSVDialect.detect(headerLine: p, count: n) }
        if reader.firstLineEndsWithCR { dialect.lineEnd = UInt8(ascii: "\r") }
        reader.setDialect(dialect)
        var lines = 0
        while try reader.next() {
            lines += reader.recordNewlines
            var cells: [String] = []
            var anything = false
            for f in 0..<reader.fieldCount {
                let text = reader.cellString(f)
                if !text.isEmpty { anything = true }
                cells.append(text)
            }
            if !anything { continue }
            let encoding: TextEncoding = windows1251 ? .windows1251 : reader.sawBOM ? .utf8WithBOM : .utf8
            return LearnedHeader(
                mapping: HeaderMapping(header: cells, schema: schema), dialect: dialect, encoding: encoding,
                firstDataLine: lines + 1)
        }
        return nil
    }

    /// Input bytes chunk `index` decodes, as far as planning knows (a whole or gzip file: the
    /// file's size; a file that could not be opened: 0).
    func inputSize(chunk index: Int) -> Int {
        guard let file else { return 0 }
        let chunk = chunks[index]
        if whole || chunk.limit == Int.max { return max(file.size - chunk.start, 0) }
        return chunk.limit - chunk.start
    }

    /// Decodes chunk `index` (for a whole-file plan: the header and all rows).
    func decode(chunk index: Int) -> ChunkOutput {
        let schema = self.schema
        let layout = ColumnLayout(schema: schema)
        let chunk = chunks[index]
        guard let file else {
            var out = ChunkOutput(schema: schema)
            out.failure = ReadFailure(reason: failure ?? "cannot read")
            return out
        }
        // The first rows size the columns (gzip: unknown size, columns grow as needed).
        let estimate = gzip ? 0 : whole ? file.size : chunk.size
        var out = ChunkOutput(schema: schema)
        do {
            var source: any ByteSource = FileRangeSource(file: file, offset: chunk.start, softEnd: chunk.limit)
            if gzip { source = try GzipSource(input: source) }
            // A mapped Windows-1251 file (or chunk) is read in the file's own bytes, its decoder
            // converting the cells it reads.
            let rawWindows1251 = windows1251 && self.source != nil
            // A chunk of another Windows-1251 file: the reader counts converted bytes from 0, and
            // asks the converter where the chunk's limit fell.
            var converter: Windows1251Source?
            if windows1251 && !rawWindows1251 {
                let converting = Windows1251Source(
                    input: source, rawLimit: whole || chunk.limit == Int.max ? Int.max : chunk.limit - chunk.start)
                if !whole { converter = converting }
                source = converting
            }
            let reader = RecordReader(
                source: source, offset: converter == nil ? chunk.start : 0,
                checkUTF8: !windows1251 && self.source?.encoding != .utf8, blockSize: FilePlan.blockSize)
            reader.converter = converter
            if let block = self.source {
                guard let mapped = mappedHeader, !whole else {
                    decodeMapped(reader, block: block, expectedBytes: estimate, into: &out)
                    return out
                }
                reader.setDialect(mapped.learned.dialect)
                if index == 0 { out.fileIssue = mapped.header.missing.map { (mapped.learned.firstDataLine - 1, $0) } }
                var decoder = mappedDecoder(block: block, header: mapped)
                decoder.windows1251 = rawWindows1251
                decoder.decode(reader, limit: chunk.limit, expectedBytes: estimate, into: &out)
                if converter != nil { out.endOffset = reader.fileOffset(chunkStart: chunk.start, limit: chunk.limit) }
                return out
            }
            var mapping = self.mapping
            var dialect = self.dialect
            if whole {
                guard let header = try FilePlan.readHeader(reader, schema: schema, windows1251: windows1251) else {
                    out.invalidUTF8 = reader.invalidUTF8
                    if !reader.invalidUTF8 {
                        out.failure = ReadFailure(reason: "no header row (the file is empty)")
                    }
                    return out
                }
                out.header = header
                mapping = header.mapping
                dialect = header.dialect
            } else {
                reader.setDialect(dialect!)
            }
            let decoder = RowDecoder(
                schema: schema, mapping: mapping!, dialect: dialect!, layout: layout,
                stored: schema.columns.indices.map { selection.keepsWhileReading(schema.table, slot: $0) })
            decoder.decode(reader, limit: chunk.limit, expectedBytes: estimate, into: &out)
        } catch {
            out.failure = error
        }
        return out
    }
}

extension RecordReader {
    /// Field `f` of the current record as a trimmed, unquoted `String` (header cells, inspection).
    func cellString(_ f: Int) -> String {
        let n = fieldEnd[f] - fieldStart[f]
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(n, 1))
        defer { scratch.deallocate() }
        var p = UnsafePointer(buffer + fieldStart[f])
        var m = n
        if fieldQuoted[f] {
            m = CellText.unquote(p, n, into: scratch)
            p = UnsafePointer(scratch)
        }
        CellText.trim(&p, &m)
        return String(decoding: UnsafeBufferPointer(start: p, count: m), as: UTF8.self)
    }

    /// `cellString(f)` of a record in Windows-1251 bytes.
    func windows1251CellString(_ f: Int) -> String {
        let n = fieldEnd[f] - fieldStart[f]
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * n + 1)
        defer { scratch.deallocate() }
        let converted = Windows1251.convert(buffer + fieldStart[f], count: n, to: scratch)
        var p = UnsafePointer(scratch)
        var m = converted
        let unquoted = UnsafeMutablePointer<UInt8>.allocate(capacity: max(converted, 1))
        defer { unquoted.deallocate() }
        if fieldQuoted[f] {
            m = CellText.unquote(p, converted, into: unquoted)
            p = UnsafePointer(unquoted)
        }
        CellText.trim(&p, &m)
        return String(decoding: UnsafeBufferPointer(start: p, count: m), as: UTF8.self)
    }
}
