import KamwatchVocabulary

/// A row problem found while decoding a chunk; the line is relative to the chunk's first line.
struct PendingIssue: Sendable {
    var relativeLine: Int
    var column: String?
    var reason: String
}

/// The rows decoded from one chunk of one file, columnar, in file order.
struct ChunkOutput: Sendable {
    /// Per schema column: its builder in `texts`, `numbers` or `dates` (see `ColumnLayout`).
    var texts: [TextBuilder] = []
    var numbers: [RawBuffer<Double>] = []
    var dates: [RawBuffer<Int32>] = []
    /// Line of each good row, relative to the chunk's first line (0-based).
    var lines = RawBuffer<UInt32>()
    var issues: [PendingIssue] = []
    var badRows = 0
    /// Stream offset just after the last record read.
    var endOffset = 0
    /// Line feeds consumed (physical lines spanned).
    var newlines = 0
    /// The data turned out not to be UTF-8: the whole file must be read again as Windows-1251.
    var invalidUTF8 = false
    /// A whole file was found not to be UTF-8 and already decoded again as Windows-1251.
    var windows1251 = false
    /// The chunk could not be read.
    var failure: ReadFailure?
    /// What a whole-file read learned from the header.
    var header: LearnedHeader?
    /// A problem with the whole file (its header line and the reason), reported once.
    var fileIssue: (line: Int, reason: String)?

    var rowCount: Int { lines.count }

    /// Empty builders for `schema`.
    init(schema: TableSchema) {
        for spec in schema.columns {
            switch spec.kind {
            case .text, .keyword: texts.append(TextBuilder())
            case .number: numbers.append(RawBuffer())
            case .date: dates.append(RawBuffer())
            }
        }
    }
}

extension ChunkOutput {
    /// Marks the text columns whose cells are not stored (`stored[slot]` false) as discarding:
    /// their cells are counted, not kept (the merge makes them one all-absent column).
    func discardTexts(notStored stored: [Bool], layout: ColumnLayout) {
        for (slot, place) in layout.places.enumerated() where !stored[slot] {
            if case .text(let t, _) = place, texts[t].count == 0 { texts[t].discards = true }
        }
    }
}

/// The header of a file read in one piece (gzip, small or Windows-1251 files).
struct LearnedHeader: Sendable {
    var mapping: HeaderMapping
    var dialect: CSVDialect
    var encoding: TextEncoding
    /// 1-based line where the data after the header starts.
    var firstDataLine: Int
}

extension ChunkOutput {
    /// Grows every column once to fit the rows of `total` bytes, judging from the rows decoded
    /// from the first `consumed` bytes: a few percent of slack instead of repeated doubling.
    func reserve(forBytes total: Int, after consumed: Int) {
        let rows = rowCount
        guard rows > 0, consumed > 0, total > consumed else { return }
        let scale = Double(total) / Double(consumed) * 1.08
        let expectedRows = Int(Double(rows) * scale) + 64
        for t in texts where !t.discards {
            t.ends.reserve(expectedRows)
            t.bytes.reserve(Int(Double(t.bytes.count) * scale) + 1024)
        }
        for v in numbers { v.reserve(expectedRows) }
        for v in dates { v.reserve(expectedRows) }
        lines.reserve(expectedRows)
    }
}

/// Where each schema column lives among a chunk's typed builders.
struct ColumnLayout: Sendable {
    enum Place: Sendable {
        case text(Int, keyword: Bool)
        case number(Int)
        case date(Int)
    }

    let places: [Place]

    init(schema: TableSchema) {
        var t = 0
        var n = 0
        var d = 0
        var places: [Place] = []
        for spec in schema.columns {
            switch spec.kind {
            case .text:
                places.append(.text(t, keyword: false))
                t += 1
            case .keyword:
                places.append(.text(t, keyword: true))
                t += 1
            case .number:
                places.append(.number(n))
                n += 1
            case .date:
                places.append(.date(d))
                d += 1
            }
        }
        self.places = places
    }
}
