import Foundation
import KamwatchVocabulary

/// Turns the records of a file described by a sources block into typed, validated rows:
/// the block's `where`, then each column from its header, map or expression (SPEC §6).
struct MappedRowDecoder {
    let schema: TableSchema
    let source: TableSource
    let header: SourceHeader
    let decimalComma: Bool
    let layout: ColumnLayout
    /// Per schema column: whether its text cells are stored (otherwise stored as absent).
    let stored: [Bool]
    /// The reader holds the file's own Windows-1251 bytes: each cell the block reads is
    /// converted to UTF-8 on its own (delimiters, quotes and line ends are the same bytes).
    var windows1251 = false

    /// One column's value in the row being decoded (no reference counted payload: text is
    /// bytes of the record or of the row's `TextScratch`).
    private enum Cell {
        case absent
        case bytes(UnsafePointer<UInt8>, Int)
        /// Text in the row's `TextScratch`: offset, count.
        case written(Int, Int)
        case number(Double)
        case day(Int32)
    }

    /// Where each column's value comes from, without reference counted payloads.
    private enum Plan {
        case none
        case header(Int)
        /// Header index, index in `maps`.
        case mapped(Int, Int)
        /// Index in `functions`.
        case computed(Int)
    }

    /// A `map:` column's table. A class, used unretained in the loop (`Unmanaged`): a struct
    /// copied out of an array per row retains and releases each of its arrays and strings.
    private final class MapPlan {
        let table: [String: String]
        let otherwise: String?
        let bytes: ByteMap?

        init(table: [String: String], otherwise: String?, bytes: ByteMap?) {
            self.table = table
            self.otherwise = otherwise
            self.bytes = bytes
        }
    }

    /// A computed column's function, or the block's `where`: a class for the same reason (a
    /// closure taken from an array or an optional is retained for each call).
    private final class FunctionPlan {
        let body: @Sendable (borrowing SourceRow) throws(SourceCellError) -> SourceValue
        let bytes: TextWriter?

        init(_ function: SourceFunction) {
            body = function.body
            bytes = function.bytes
        }
    }

    /// Bytes readable beyond a cell in the record's unquoting scratch, as in the reader's buffer
    /// (`CellParser.commaNumberPadded`, `DateStyle.parsePadded`).
    private static let slack = 32

    /// `text` written into `scratch`.
    private static func put(_ text: String, _ scratch: TextScratch) -> Cell {
        var text = text
        let start = scratch.count
        text.withUTF8 { if let p = $0.baseAddress { scratch.append(p, $0.count) } }
        return .written(start, scratch.count - start)
    }

    /// Decodes records from `reader` until one starts at or after file offset `limit` (or the
    /// data ends); `expectedBytes` (of the file, 0 when unknown) sizes the columns once the
    /// first rows show their widths, as `RowDecoder` does.
    func decode(_ reader: RecordReader, limit: Int, expectedBytes: Int, into out: inout ChunkOutput) {
        let inputs = source.headers.count
        let cellPtr = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: max(inputs, 1))
        let cellLen = UnsafeMutablePointer<Int>.allocate(capacity: max(inputs, 1))
        var scratchCapacity = 1024
        var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity + Self.slack)
        let slotCount = schema.columns.count
        // The row's values: a plain enum (no reference counted payload), so a buffer of them
        // needs no deinitialization.
        let values = UnsafeMutablePointer<Cell>.allocate(capacity: max(slotCount, 1))
        values.initialize(repeating: .absent, count: max(slotCount, 1))
        defer {
            cellPtr.deallocate()
            cellLen.deallocate()
            scratch.deallocate()
            values.deallocate()
        }
        let slots = schema.columns.map { source.columns[$0.name] }
        var plans: [Plan] = []
        var maps: [MapPlan] = []
        var functions: [FunctionPlan] = []
        for slot in slots {
            switch slot?.value {
            case nil: plans.append(.none)
            case .header(let i): plans.append(.header(i))
            case .mapped(let i, let table, let otherwise):
                plans.append(.mapped(i, maps.count))
                maps.append(MapPlan(table: table, otherwise: otherwise, bytes: ByteMap(table)))
            case .computed(let function):
                plans.append(.computed(functions.count))
                functions.append(FunctionPlan(function))
            }
        }
        let kinds = schema.columns.map(\.kind)
        let required = schema.columns.map(\.required)
        let order = header.mapping.slotOrder
        // Unretained references: `out` keeps the builders alive, and the loop must not spend its
        // time retaining and releasing them.
        let texts = out.texts.map { Unmanaged.passUnretained($0) }
        let numbers = out.numbers.map { Unmanaged.passUnretained($0) }
        let dates = out.dates.map { Unmanaged.passUnretained($0) }
        let rowLines = out.lines
        let places = layout.places
        let stored = self.stored
        out.discardTexts(notStored: stored, layout: layout)
        let written = TextScratch()
        let fields = header.fields
        let filter = source.filter.map(FunctionPlan.init)
        // Unretained: `maps`, `functions` and `filter` are kept alive to the end of the loop.
        let mapRefs = maps.map { Unmanaged.passUnretained($0) }
        let functionRefs = functions.map { Unmanaged.passUnretained($0) }
        let filterRef = filter.map { Unmanaged.passUnretained($0) }
        let row = SourceRow(
            cellPtr: UnsafePointer(cellPtr), cellLen: UnsafePointer(cellLen), decimalComma: decimalComma,
            dates: source.dates)
        let cp1251 = Windows1251.wordTable
        var line = 0
        let startPosition = reader.position
        var sized = expectedBytes <= 0
        do {
            while reader.startsBefore(limit), try reader.next() {
                if !sized && out.rowCount == 1024 {
                    sized = true
                    // The reader counts converted bytes of a Windows-1251 chunk: the file's bytes
                    // grow as much as those read so far did.
                    let total = reader.converter.map { $0.converted(expectedBytes) } ?? expectedBytes
                    out.reserve(forBytes: total, after: reader.position - startPosition)
                }
                let rowLine = line
                line += reader.recordNewlines
                let buf = UnsafePointer(reader.buffer)
                let fieldCount = reader.fieldCount
                // The record's fields, read once per record (not once per cell from the reader).
                let starts = UnsafePointer(reader.fieldStart)
                let ends = UnsafePointer(reader.fieldEnd)
                let quoted = UnsafePointer(reader.fieldQuoted)
                var anything = false
                for f in 0..<fieldCount {
                    let p = buf + starts[f]
                    let n = ends[f] - starts[f]
                    if windows1251 ? Windows1251.hasContent(p, n) : CellText.hasContent(p, n) {
                        anything = true
                        break
                    }
                }
                if !anything { continue }
                if header.missing != nil {
                    out.badRows += 1
                    continue
                }
                // Unquoted cells take at most the record's bytes; converted ones three per byte
                // and one spare.
                let recordLength = reader.recordEnd - reader.recordStart
                let scratchNeeded = windows1251 ? 4 * recordLength + inputs : recordLength
                if scratchNeeded > scratchCapacity {
                    scratch.deallocate()
                    scratchCapacity = scratchNeeded * 2
                    scratch = .allocate(capacity: scratchCapacity + Self.slack)
                }
                var scratchUsed = 0
                for i in 0..<inputs {
                    let f = fields[i]
                    if f >= fieldCount {
                        cellLen[i] = 0
                        continue
                    }
                    var p = buf + starts[f]
                    var n = ends[f] - starts[f]
                    let quote = UInt8(ascii: "\"")
                    // A plain quoted cell (every cell of some exports) is read between its quotes;
                    // Windows-1251: whether it needs converting is found in the same pass.
                    var plain = false
                    var high = false
                    if quoted[f] && n >= 2 && p[0] == quote && p[n - 1] == quote {
                        if windows1251 {
                            let flags = Windows1251.quotesAndHighBytes(p + 1, n - 2)
                            plain = flags & 1 == 0
                            high = flags & 2 != 0
                        } else {
                            plain = !Self.hasQuote(p + 1, n - 2)
                        }
                    }
                    if plain {
                        p += 1
                        n -= 2
                    } else {
                        if quoted[f] {
                            let dst = scratch + scratchUsed
                            n = CellText.unquote(p, n, into: dst)
                            p = UnsafePointer(dst)
                            scratchUsed += n
                        }
                        high = windows1251 && Windows1251.hasHighBytes(p, n)
                    }
                    if high {
                        let dst = scratch + scratchUsed
                        n = Windows1251.convertCell(p, count: n, to: dst, table: cp1251)
                        p = UnsafePointer(dst)
                        scratchUsed += n
                    }
                    // Most cells neither start nor end with a blank: one test each.
                    if n > 0 && (p[0] &- 0x21 >= 0x5F || p[n &- 1] &- 0x21 >= 0x5F) { CellText.trim(&p, &n) }
                    cellPtr[i] = p
                    cellLen[i] = n
                }
                written.truncate(to: 0)
                if let problem = fill(
                    values, count: slotCount, filter: filterRef, plans: plans, maps: mapRefs,
                    functions: functionRefs, written: written, row: row, line: rowLine)
                {
                    out.issues.append(problem)
                    out.badRows += 1
                    continue
                }
                var present = false
                for s in 0..<slotCount {
                    if case .absent = values[s] { continue }
                    present = true
                    break
                }
                if !present { continue }
                if let problem = check(
                    values, order: order, kinds: kinds, required: required, written: written, line: rowLine)
                {
                    out.issues.append(problem)
                    out.badRows += 1
                    continue
                }
                append(
                    values, places: places, stored: stored, written: written, texts: texts, numbers: numbers,
                    dates: dates)
                rowLines.append(UInt32(truncatingIfNeeded: rowLine))
            }
        } catch {
            out.failure = error
        }
        withExtendedLifetime((maps, functions, filter)) {}
        out.invalidUTF8 = reader.invalidUTF8
        out.endOffset = reader.position
        out.newlines = line
    }

    /// Whether `p[0..<n]` holds a quote: by words, the last one overlapping the one before
    /// (cells are short; a call to `memchr` per cell costs more than the search).
    @inline(__always)
    static func hasQuote(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        // A zero byte of `x` (the word XOR-ed with quotes) is a quote: the classic has-zero-byte
        // test, exact as to whether there is one.
        @inline(__always) func zero64(_ x: UInt64) -> Bool {
            (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
        }
        @inline(__always) func zero32(_ x: UInt32) -> Bool { (x &- 0x0101_0101) & ~x & 0x8080_8080 != 0 }
        if n >= 8 {
            var i = 0
            while n - i > 8 {
                if zero64(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x2222_2222_2222_2222) { return true }
                i &+= 8
            }
            return zero64(raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) ^ 0x2222_2222_2222_2222)
        }
        if n >= 4 {
            return zero32(raw.loadUnaligned(as: UInt32.self) ^ 0x2222_2222)
                || zero32(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) ^ 0x2222_2222)
        }
        var i = 0
        while i < n {
            if p[i] == UInt8(ascii: "\"") { return true }
            i &+= 1
        }
        return false
    }

    /// Applies the block's `where` (`nil` with every value `.absent` when the row is dropped)
    /// and computes each column's value; a problem when a cell cannot be read.
    private func fill(
        _ values: UnsafeMutablePointer<Cell>, count: Int, filter: Unmanaged<FunctionPlan>?, plans: [Plan],
        maps: [Unmanaged<MapPlan>], functions: [Unmanaged<FunctionPlan>], written: TextScratch, row: SourceRow,
        line: Int
    ) -> PendingIssue? {
        for s in 0..<count { values[s] = .absent }
        do throws(SourceCellError) {
            if let filter, try Self.call(filter, row) != .bool(true) { return nil }
            for s in plans.indices {
                switch plans[s] {
                case .none: continue
                case .header(let i):
                    let n = row.cellLen[i]
                    if n > 0 { values[s] = .bytes(row.cellPtr[i]!, n) }
                case .mapped(let i, let k):
                    let n = row.cellLen[i]
                    if n == 0 { continue }
                    values[s] = maps[k]._withUnsafeGuaranteedRef { map -> Cell in
                        if let found = map.bytes?.find(row.cellPtr[i]!, n, scratch: written) {
                            if let mapped = found ?? map.otherwise {
                                return mapped.isEmpty ? .absent : Self.put(mapped, written)
                            }
                            return .bytes(row.cellPtr[i]!, n)
                        }
                        guard let text = row.text(i) else { return .absent }
                        let mapped = map.table[text.lowercased()] ?? map.otherwise ?? text
                        return mapped.isEmpty ? .absent : Self.put(mapped, written)
                    }
                case .computed(let k):
                    let start = written.count
                    let wrote = functions[k]._withUnsafeGuaranteedRef { f in f.bytes?(row, written) }
                    switch wrote {
                    case .null: continue
                    case .text:
                        if written.count > start { values[s] = .written(start, written.count - start) }
                        continue
                    case .unsure: written.truncate(to: start)
                    case nil: break
                    }
                    switch try Self.call(functions[k], row) {
                    case .null: break
                    case .number(let v): values[s] = .number(v)
                    case .day(let d): values[s] = .day(d)
                    case let other: if let text = other.cellText { values[s] = Self.put(text, written) }
                    }
                }
            }
        } catch {
            let field = error.header >= 0 ? header.fields[error.header] : -1
            let label = header.mapping.cells.indices.contains(field) ? header.mapping.cells[field].text : nil
            return PendingIssue(relativeLine: line, column: label, reason: error.reason)
        }
        return nil
    }

    /// `function`'s value for `row`, the function not retained.
    @inline(__always)
    private static func call(
        _ function: Unmanaged<FunctionPlan>, _ row: SourceRow
    ) throws(SourceCellError)
        -> SourceValue
    {
        let result = function._withUnsafeGuaranteedRef { f -> Result<SourceValue, SourceCellError> in
            do throws(SourceCellError) {
                return .success(try f.body(row))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Required values present; text given for a number or date column parsed by the block's rules.
    private func check(
        _ values: UnsafeMutablePointer<Cell>, order: [Int], kinds: [ColumnKind], required: [Bool],
        written: TextScratch, line: Int
    ) -> PendingIssue? {
        for s in order {
            let kind = kinds[s]
            switch values[s] {
            case .absent:
                if required[s] {
                    let spec = schema.columns[s]
                    let label = header.mapping.slotLabel[s]
                    let reason =
                        source.columns[spec.name] == nil
                        ? "missing required value (the sources file maps no \"\(spec.name)\" column)"
                        : "missing required value"
                    return PendingIssue(relativeLine: line, column: label, reason: reason)
                }
            case .bytes(let p, let n):
                // Bytes of the reader's buffer or of the unquoting scratch: both have slack.
                if let problem = parse(&values[s], p, n, padded: true, kind: kind, slot: s, line: line) {
                    return problem
                }
            case .written(let o, let n):
                let p = UnsafePointer(written.base + o)
                if let problem = parse(&values[s], p, n, padded: false, kind: kind, slot: s, line: line) {
                    return problem
                }
            case .number(let v):
                if kind == .date {
                    return PendingIssue(
                        relativeLine: line, column: header.mapping.slotLabel[s],
                        reason: "a number where a date is expected")
                }
                if kind != .number { values[s] = Self.put(SourceValue.number(v).cellText ?? "", written) }
            case .day(let d):
                if kind == .number {
                    return PendingIssue(
                        relativeLine: line, column: header.mapping.slotLabel[s],
                        reason: "a date where a number is expected")
                }
                if kind != .date { values[s] = Self.put(SourceValue.day(d).cellText ?? "", written) }
            }
        }
        return nil
    }

    /// `padded`: 32 bytes are readable from `p` (the `kw_` fast paths may be used).
    @inline(__always)
    private func parse(
        _ value: inout Cell, _ p: UnsafePointer<UInt8>, _ n: Int, padded: Bool, kind: ColumnKind, slot: Int,
        line: Int
    ) -> PendingIssue? {
        var label: String { header.mapping.slotLabel[slot] }
        switch kind {
        case .text, .keyword: return nil
        case .number:
            if padded,
                let v = decimalComma ? CellParser.commaNumberPadded(p, n) : CellParser.plainNumberPadded(p, n)
            {
                value = .number(v)
                return nil
            }
            if decimalComma, let v = DecimalComma.number(p, n) {
                value = .number(v)
                return nil
            }
            switch CellParser.number(p, n, decimalComma: decimalComma) {
            case .success(let v):
                value = .number(v)
                return nil
            case .failure(let e):
                let dialect = CSVDialect(delimiter: decimalComma ? UInt8(ascii: ";") : UInt8(ascii: ","))
                return PendingIssue(
                    relativeLine: line, column: label, reason: CellText.numberReason(p, n, e, dialect: dialect))
            }
        case .date:
            switch padded ? source.dates.parsePadded(p, n) : source.dates.parse(p, n) {
            case .success(let d):
                value = .day(d)
                return nil
            case .failure(let e):
                return PendingIssue(
                    relativeLine: line, column: label, reason: CellText.dateReason(p, n, e, style: source.dates))
            }
        }
    }

    private func append(
        _ values: UnsafeMutablePointer<Cell>, places: [ColumnLayout.Place], stored: [Bool], written: TextScratch,
        texts: [Unmanaged<TextBuilder>], numbers: [Unmanaged<RawBuffer<Double>>], dates: [Unmanaged<RawBuffer<Int32>>]
    ) {
        for (s, place) in places.enumerated() {
            switch place {
            case .text(let t, let keyword):
                texts[t]._withUnsafeGuaranteedRef { builder in
                    switch values[s] {
                    case .bytes(let p, let n) where stored[s]:
                        if keyword { builder.appendLowercased(p, n) } else { builder.append(p, n) }
                    case .written(let o, let n) where stored[s]:
                        let p = UnsafePointer(written.base + o)
                        if keyword { builder.appendLowercased(p, n) } else { builder.append(p, n) }
                    default:
                        builder.appendAbsent()
                    }
                }
            case .number(let k):
                let v: Double
                if case .number(let x) = values[s] { v = x } else { v = .nan }
                numbers[k]._withUnsafeGuaranteedRef { $0.append(v) }
            case .date(let k):
                let d: Int32
                if case .day(let x) = values[s] { d = x } else { d = Column.absentDate }
                dates[k]._withUnsafeGuaranteedRef { $0.append(d) }
            }
        }
    }
}

/// A `map:` table by lower-cased bytes (`NameKey`): exact where `String`'s lower-casing and
/// canonical equality give the same, that is when the keys and the cell are text `NameKey`
/// lower-cases. `nil` (build) when a key is not such text.
private struct ByteMap {
    private let keys: [[UInt8]]
    private let values: [String]

    init?(_ table: [String: String]) {
        var keys: [[UInt8]] = []
        var values: [String] = []
        for (key, value) in table {
            let bytes = Array(key.utf8)
            var lowered = [UInt8](repeating: 0, count: bytes.count)
            let simple = bytes.withUnsafeBufferPointer { b in
                lowered.withUnsafeMutableBufferPointer { o in
                    b.isEmpty || NameKey.lowercase(b.baseAddress!, b.count, into: o.baseAddress!)
                }
            }
            guard simple, lowered == bytes else { return nil }
            keys.append(bytes)
            values.append(value)
        }
        self.keys = keys
        self.values = values
    }

    /// `.some(value)` for a listed cell, `.some(nil)` for one not listed, `nil` when the cell
    /// is text to look up as a `String`. `scratch` gets the lower-cased cell past its end.
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, scratch: TextScratch) -> String?? {
        let start = scratch.count
        scratch.append(p, n)
        defer { scratch.truncate(to: start) }
        let key = scratch.base + start
        guard NameKey.lowercase(p, n, into: key) else { return nil }
        for (k, bytes) in keys.enumerated() where bytes.count == n {
            if bytes.withUnsafeBufferPointer({ memEqual($0.baseAddress!, key, n) }) { return .some(values[k]) }
        }
        return .some(nil)
    }
}
