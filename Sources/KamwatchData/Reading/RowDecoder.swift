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
    /// `datePadded`).
    private static let slack = 32

    /// Why a row is bad, found in the row loop; the message is built only for bad rows.
    private enum Problem {
        case missing(slot: Int)
        case number(slot: Int, CellParser.NumberError)
        case date(slot: Int, CellParser.DateError)
    }

    /// Decodes records from `reader` until one starts at or after `limit` (or the data ends);
    /// `expectedBytes` (0 when unknown) sizes the columns once the first rows show their widths.
    ///
    /// Each record takes one pass over its cells in the order they appear (unquote, trim, check,
    /// parse), then one pass of stores into the typed columns; a bad row stores nothing.
    func decode(_ reader: RecordReader, limit: Int, expectedBytes: Int, into out: inout ChunkOutput) {
        let slotCount = schema.columns.count
        let cellPtr = UnsafeMutablePointer<UnsafePointer<UInt8>>.allocate(capacity: max(slotCount, 1))
        let cellLen = UnsafeMutablePointer<Int>.allocate(capacity: max(slotCount, 1))
        let numberValue = UnsafeMutablePointer<Double>.allocate(capacity: max(slotCount, 1))
        let dateValue = UnsafeMutablePointer<Int32>.allocate(capacity: max(slotCount, 1))
        var scratchCapacity = 1024
        var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity + RowDecoder.slack)
        let slotField = mapping.slotField
        let fieldSlot = mapping.fieldSlot
        // The cells in the order they appear, so the first problem a reader sees is reported.
        let steps = UnsafeMutablePointer<Step>.allocate(capacity: max(slotCount, 1))
        for (k, s) in mapping.slotOrder.enumerated() {
            let kind: UInt8
            switch schema.columns[s].kind {
            case .text, .keyword: kind = RowDecoder.textKind
            case .number: kind = RowDecoder.numberKind
            case .date: kind = RowDecoder.dateKind
            }
            steps[k] = Step(slot: s, field: slotField[s], kind: kind, required: schema.columns[s].required)
        }
        let stepCount = mapping.slotOrder.count
        // The stores, per builder kind: (schema column, builder), with unretained references:
        // `out` keeps the builders alive, and the loop must not spend its time on reference counting.
        var textStores: [(slot: Int, builder: Unmanaged<TextBuilder>, keyword: Bool)] = []
        // Text columns not kept: an absent cell each row.
        var absentStores: [Unmanaged<TextBuilder>] = []
        var numberStores: [(slot: Int, buffer: Unmanaged<RawBuffer<Double>>)] = []
        var dateStores: [(slot: Int, buffer: Unmanaged<RawBuffer<Int32>>)] = []
        for (s, place) in layout.places.enumerated() {
            switch place {
            case .text(let t, let keyword):
                if stored[s] {
                    textStores.append((s, Unmanaged.passUnretained(out.texts[t]), keyword))
                } else {
                    absentStores.append(Unmanaged.passUnretained(out.texts[t]))
                }
            case .number(let k): numberStores.append((s, Unmanaged.passUnretained(out.numbers[k])))
            case .date(let k): dateStores.append((s, Unmanaged.passUnretained(out.dates[k])))
            }
        }
        defer {
            cellPtr.deallocate()
            cellLen.deallocate()
            numberValue.deallocate()
            dateValue.deallocate()
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
                var problem: Problem?
                for k in 0..<stepCount {
                    let step = steps[k]
                    let s = step.slot
                    let f = step.field
                    if f < 0 || f >= fields {
                        cellLen[s] = 0
                        numberValue[s] = .nan
                        dateValue[s] = Column.absentDate
                        if step.required && problem == nil { problem = .missing(slot: s) }
                        continue
                    }
                    var p = buf + fieldStart[f]
                    var n = fieldEnd[f] &- fieldStart[f]
                    if fieldQuoted[f] {
                        let dst = scratch + scratchUsed
                        n = CellText.unquote(p, n, into: dst)
                        p = UnsafePointer(dst)
                        scratchUsed &+= n
                    }
                    // Most cells neither start nor end with a blank: one test each.
                    if n > 0 && (p[0] &- 0x21 >= 0x5F || p[n &- 1] &- 0x21 >= 0x5F) { CellText.trim(&p, &n) }
                    cellPtr[s] = p
                    cellLen[s] = n
                    if n == 0 {
                        // Absent: the stores below take the values as they are.
                        numberValue[s] = .nan
                        dateValue[s] = Column.absentDate
                        if step.required && problem == nil { problem = .missing(slot: s) }
                        continue
                    }
                    anyPresent = true
                    // The row is bad and not blank: nothing more to learn from it.
                    if problem != nil { break }
                    if step.kind == RowDecoder.numberKind {
                        // 32 bytes from `p` are readable: the reader's buffer and `scratch` have slack.
                        if let v = CellParser.plainNumberPadded(p, n) {
                            numberValue[s] = v
                        } else {
                            switch CellParser.number(p, n, decimalComma: decimalComma) {
                            case .success(let v): numberValue[s] = v
                            case .failure(let e): problem = .number(slot: s, e)
                            }
                        }
                    } else if step.kind == RowDecoder.dateKind {
                        switch CellParser.datePadded(p, n) {
                        case .success(let v): dateValue[s] = v
                        case .failure(let e): problem = .date(slot: s, e)
                        }
                    }
                    if problem != nil { break }
                }
                if !anyPresent {
                    // Blank line or all-empty row, unless an ignored cell holds something.
                    var other = false
                    for f in 0..<fields where f >= fieldSlot.count || fieldSlot[f] < 0 {
                        if CellText.hasContent(buf + fieldStart[f], fieldEnd[f] - fieldStart[f]) {
                            other = true
                            break
                        }
                    }
                    if !other { continue }
                }
                if let problem {
                    out.issues.append(issue(problem, rowLine: rowLine, cellPtr: cellPtr, cellLen: cellLen))
                    out.badRows += 1
                    continue
                }
                // Cells lie in the reader's buffer or `scratch`, both with slack: copied 16
                // bytes at a time.
                for k in 0..<textStores.count {
                    let store = textStores[k]
                    let n = cellLen[store.slot]
                    let p = cellPtr[store.slot]
                    store.builder._withUnsafeGuaranteedRef { builder in
                        if n == 0 {
                            builder.appendAbsent()
                        } else if store.keyword {
                            builder.appendLowercasedPadded(p, n)
                        } else {
                            builder.appendPadded(p, n)
                        }
                    }
                }
                for k in 0..<absentStores.count {
                    absentStores[k]._withUnsafeGuaranteedRef { $0.appendAbsent() }
                }
                for k in 0..<numberStores.count {
                    let store = numberStores[k]
                    let v = numberValue[store.slot]
                    store.buffer._withUnsafeGuaranteedRef { $0.append(v) }
                }
                for k in 0..<dateStores.count {
                    let store = dateStores[k]
                    let v = dateValue[store.slot]
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

    /// The report of a bad row.
    private func issue(
        _ problem: Problem, rowLine: Int, cellPtr: UnsafeMutablePointer<UnsafePointer<UInt8>>,
        cellLen: UnsafeMutablePointer<Int>
    ) -> PendingIssue {
        switch problem {
        case .missing(let s):
            let reason =
                mapping.slotField[s] < 0
                ? "missing required value (the header has no \"\(schema.columns[s].name)\" column)"
                : "missing required value"
            return PendingIssue(relativeLine: rowLine, column: mapping.slotLabel[s], reason: reason)
        case .number(let s, let e):
            return PendingIssue(
                relativeLine: rowLine, column: mapping.slotLabel[s],
                reason: CellText.numberReason(cellPtr[s], cellLen[s], e, dialect: dialect))
        case .date(let s, let e):
            return PendingIssue(
                relativeLine: rowLine, column: mapping.slotLabel[s],
                reason: CellText.dateReason(cellPtr[s], cellLen[s], e))
        }
    }
}
