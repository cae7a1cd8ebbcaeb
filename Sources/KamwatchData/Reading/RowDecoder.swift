import KamwatchVocabulary

/// Turns the records of one file's data section into typed, validated rows (SPEC §1).
struct RowDecoder {
    let schema: TableSchema
    let mapping: HeaderMapping
    let dialect: CSVDialect
    let layout: ColumnLayout
    /// Per schema column: whether its text cells are stored (otherwise stored as absent).
    let stored: [Bool]

    /// One schema column as the row loop sees it, in the order its cells appear in a record.
    private struct Step {
        /// Schema column.
        var slot: Int
        /// Field of the record holding it (-1: not in the header).
        var field: Int
        /// `ColumnKind` as a small code: text, number, date.
        var kind: UInt8
        var required: Bool
    }

    private static let textKind: UInt8 = 0
    private static let numberKind: UInt8 = 1
    private static let dateKind: UInt8 = 2
    /// Bytes readable beyond a cell in `scratch`, as in the reader's buffer (`plainNumberPadded`,
    /// `datePadded`, `TextBuilder.appendPadded`).
    private static let slack = 32

    /// One cell of the current record as the row loop leaves it for the stores, by schema
    /// column: its bytes (unquoted, trimmed; `n` 0 when absent) and its value when it is a
    /// number (NaN when absent) or a date (`Column.absentDate` when absent). One array of
    /// these keeps the loop's pointers few enough to stay in registers.
    private struct Cell {
        var p: UnsafePointer<UInt8>
        var n: Int
        var number: Double
        var date: Int32
    }

    /// Decodes records from `reader` until one starts at or after `limit` (or the data ends);
    /// `expectedBytes` (0 when unknown) sizes the columns once the first rows show their widths.
    ///
    /// Each record takes one pass over its cells in the order they appear (unquote, trim, check,
    /// parse), then one pass of stores into the typed columns; a bad row stores nothing.
    func decode(_ reader: RecordReader, limit: Int, expectedBytes: Int, into out: inout ChunkOutput) {
        let slotCount = schema.columns.count
        let cells = UnsafeMutablePointer<Cell>.allocate(capacity: max(slotCount, 1))
        var scratchCapacity = 1024
        var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity + RowDecoder.slack)
        let slotField = mapping.slotField
        let fieldSlot = mapping.fieldSlot
        // The cells in the order they appear, so the first problem a reader sees is reported.
        let steps = UnsafeMutablePointer<Step>.allocate(capacity: max(slotCount, 1))
        var stepCount = 0
        // Fields of text columns neither stored nor required: their cells are looked at only
        // when the row's other cells are all empty (is it a blank row?), never on the way.
        var unlookedFields: [Int] = []
        for s in mapping.slotOrder {
            let kind: UInt8
            switch schema.columns[s].kind {
            case .text, .keyword: kind = RowDecoder.textKind
            case .number: kind = RowDecoder.numberKind
            case .date: kind = RowDecoder.dateKind
            }
            let required = schema.columns[s].required
            if kind == RowDecoder.textKind && !stored[s] && !required {
                if slotField[s] >= 0 { unlookedFields.append(slotField[s]) }
                continue
            }
            steps[stepCount] = Step(slot: s, field: slotField[s], kind: kind, required: required)
            stepCount += 1
        }
        // The stores, per builder kind: (schema column, builder), with unretained references:
        // `out` keeps the builders alive, and the loop must not spend its time on reference counting.
        // A text store writes the builder's two buffers itself (a call per buffer is inlined, a
        // call per builder would not be); keywords go through the builder.
        var textStores:
            [(
                slot: Int, builder: Unmanaged<TextBuilder>, bytes: Unmanaged<RawBuffer<UInt8>>,
                ends: Unmanaged<RawBuffer<UInt32>>, keyword: Bool
            )] = []
        // Text columns not kept: an absent cell each row.
        var absentStores: [Unmanaged<TextBuilder>] = []
        var numberStores: [(slot: Int, buffer: Unmanaged<RawBuffer<Double>>)] = []
        var dateStores: [(slot: Int, buffer: Unmanaged<RawBuffer<Int32>>)] = []
        for (s, place) in layout.places.enumerated() {
            switch place {
            case .text(let t, let keyword):
                if stored[s] {
                    let builder = out.texts[t]
                    textStores.append(
                        (
                            s, Unmanaged.passUnretained(builder), Unmanaged.passUnretained(builder.bytes),
                            Unmanaged.passUnretained(builder.ends), keyword
                        ))
                } else {
                    absentStores.append(Unmanaged.passUnretained(out.texts[t]))
                }
            case .number(let k): numberStores.append((s, Unmanaged.passUnretained(out.numbers[k])))
            case .date(let k): dateStores.append((s, Unmanaged.passUnretained(out.dates[k])))
            }
        }
        defer {
            cells.deallocate()
            scratch.deallocate()
            steps.deallocate()
        }
        out.discardTexts(notStored: stored, layout: layout)
        let decimalComma = dialect.decimalComma
        let rowLines = out.lines
        var line = 0
        let startPosition = reader.position
        var sized = expectedBytes <= 0
        do {
            while reader.startsBefore(limit), try reader.next() {
                if !sized && out.rowCount == 1024 {
                    sized = true
                    out.reserve(forBytes: expectedBytes, after: reader.position - startPosition)
                }
                let rowLine = line
                line &+= reader.recordNewlines
                let fields = reader.fieldCount
                let buf = UnsafePointer(reader.buffer)
                let fieldStart = reader.fieldStart
                let fieldEnd = reader.fieldEnd
                let fieldQuoted = reader.fieldQuoted
                let recordLength = reader.recordEnd - reader.recordStart
                if recordLength > scratchCapacity {
                    scratch.deallocate()
                    scratchCapacity = recordLength * 2
                    scratch = .allocate(capacity: scratchCapacity + RowDecoder.slack)
                }
                var scratchUsed = 0
                var anyPresent = false
                // The schema column of the row's first problem (-1: none); its message is made
                // only for a bad row (`issue`).
                var bad = -1
                var step = UnsafePointer(steps)
                let stepsEnd = step + stepCount
                while step < stepsEnd {
                    let s = step.pointee.slot
                    let f = step.pointee.field
                    let kind = step.pointee.kind
                    let required = step.pointee.required
                    step += 1
                    let cell = cells + s
                    // A field the record does not have (or the header lacks: -1).
                    if UInt(bitPattern: f) >= UInt(bitPattern: fields) {
                        cell.pointee = Cell(p: buf, n: 0, number: .nan, date: Column.absentDate)
                        if required && bad < 0 { bad = s }
                        continue
                    }
                    let (p, n) = Self.cellText(
                        buf, fieldStart[f], fieldEnd[f], quoted: fieldQuoted[f], scratch: scratch, used: &scratchUsed)
                    if n == 0 {
                        // Absent: the stores below take the values as they are.
                        cell.pointee = Cell(p: p, n: 0, number: .nan, date: Column.absentDate)
                        if required && bad < 0 { bad = s }
                        continue
                    }
                    cell.pointee.p = p
                    cell.pointee.n = n
                    anyPresent = true
                    // The row is bad and not blank: nothing more to learn from it.
                    if bad >= 0 { break }
                    if kind == RowDecoder.numberKind {
                        // 32 bytes from `p` are readable: the reader's buffer and `scratch` have slack.
                        if let v = CellParser.plainNumberPadded(p, n) {
                            cell.pointee.number = v
                        } else if let v = CellParser.groupedNumber(p, n, decimalComma: decimalComma) {
                            cell.pointee.number = v
                        } else if case .success(let v) = CellParser.number(p, n, decimalComma: decimalComma) {
                            cell.pointee.number = v
                        } else {
                            bad = s
                            break
                        }
                    } else if kind == RowDecoder.dateKind {
                        if case .success(let v) = CellParser.datePadded(p, n) {
                            cell.pointee.date = v
                        } else {
                            bad = s
                            break
                        }
                    }
                }
                if !anyPresent {
                    // Blank line or all-empty row, unless an ignored cell holds something, or
                    // a cell not looked at holds something once unquoted and trimmed.
                    var other = false
                    for f in 0..<fields where f >= fieldSlot.count || fieldSlot[f] < 0 {
                        if CellText.hasContent(buf + fieldStart[f], fieldEnd[f] - fieldStart[f]) {
                            other = true
                            break
                        }
                    }
                    for f in unlookedFields where !other && f < fields {
                        other =
                            Self.cellText(
                                buf, fieldStart[f], fieldEnd[f], quoted: fieldQuoted[f], scratch: scratch,
                                used: &scratchUsed
                            ).n > 0
                    }
                    if !other { continue }
                }
                if bad >= 0 {
                    out.issues.append(issue(slot: bad, rowLine: rowLine, cells[bad].p, cells[bad].n))
                    out.badRows += 1
                    continue
                }
                // Cells lie in the reader's buffer or `scratch`, both with slack: copied 16
                // bytes at a time.
                for k in 0..<textStores.count {
                    let store = textStores[k]
                    let n = cells[store.slot].n
                    let p = cells[store.slot].p
                    if store.keyword && n > 0 {
                        store.builder._withUnsafeGuaranteedRef { $0.appendLowercasedPadded(p, n) }
                        continue
                    }
                    // A stored column's builder does not discard: an absent cell is an empty range.
                    let total = store.bytes._withUnsafeGuaranteedRef { bytes in
                        if n > 0 { bytes.appendPadded(p, n) }
                        return bytes.count
                    }
                    store.ends._withUnsafeGuaranteedRef { $0.append(UInt32(truncatingIfNeeded: total)) }
                }
                for k in 0..<absentStores.count {
                    absentStores[k]._withUnsafeGuaranteedRef { $0.appendAbsent() }
                }
                for k in 0..<numberStores.count {
                    let store = numberStores[k]
                    let v = cells[store.slot].number
                    store.buffer._withUnsafeGuaranteedRef { $0.append(v) }
                }
                for k in 0..<dateStores.count {
                    let store = dateStores[k]
                    let v = cells[store.slot].date
                    store.buffer._withUnsafeGuaranteedRef { $0.append(v) }
                }
                rowLines.append(UInt32(truncatingIfNeeded: rowLine))
            }
        } catch {
            out.failure = error
        }
        out.invalidUTF8 = reader.invalidUTF8
        out.endOffset = reader.position
        out.newlines = line
    }

    /// The report of a bad row whose first problem is in schema column `s`, the cell `p[0..<n]`
    /// (unquoted and trimmed; `n` 0 when missing): its cell is parsed again for the reason.
    private func issue(slot s: Int, rowLine: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> PendingIssue {
        let reason: String
        if n == 0 {
            reason =
                mapping.slotField[s] < 0
                ? "missing required value (the header has no \"\(schema.columns[s].name)\" column)"
                : "missing required value"
        } else if schema.columns[s].kind == .number,
            case .failure(let e) = CellParser.number(p, n, decimalComma: dialect.decimalComma)
        {
            reason = CellText.numberReason(p, n, e, dialect: dialect)
        } else if schema.columns[s].kind == .date, case .failure(let e) = CellParser.datePadded(p, n) {
            reason = CellText.dateReason(p, n, e)
        } else {
            preconditionFailure("a bad row's cell parsed again without its problem")
        }
        return PendingIssue(relativeLine: rowLine, column: mapping.slotLabel[s], reason: reason)
    }

    /// A field's text: the bytes `start..<end` of `buf`, unquoted into `scratch` at `used` (moved
    /// past them) when `quoted`, then trimmed.
    @inline(__always)
    private static func cellText(
        _ buf: UnsafePointer<UInt8>, _ start: Int, _ end: Int, quoted: Bool,
        scratch: UnsafeMutablePointer<UInt8>, used: inout Int
    ) -> (p: UnsafePointer<UInt8>, n: Int) {
        var p = buf + start
        var n = end &- start
        if quoted {
            let dst = scratch + used
            n = CellText.unquote(p, n, into: dst)
            p = UnsafePointer(dst)
            used &+= n
        }
        // Most cells neither start nor end with a blank: one test each.
        if n > 0 && (p[0] &- 0x21 >= 0x5F || p[n &- 1] &- 0x21 >= 0x5F) { CellText.trim(&p, &n) }
        return (p, n)
    }
}
