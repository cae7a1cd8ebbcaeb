import KamwatchVocabulary

/// Turns the records of one file's data section into typed, validated rows (SPEC §1).
struct RowDecoder {
    let schema: TableSchema
    let mapping: HeaderMapping
    let dialect: CSVDialect
    let layout: ColumnLayout
    /// Per schema column: whether its text cells are stored (otherwise stored as absent).
    let stored: [Bool]

    /// Decodes records from `reader` until one starts at or after `limit` (or the data ends);
    /// `expectedBytes` (0 when unknown) sizes the columns once the first rows show their widths.
    func decode(_ reader: RecordReader, limit: Int, expectedBytes: Int, into out: inout ChunkOutput) {
        let slotCount = schema.columns.count
        let cellPtr = UnsafeMutablePointer<UnsafePointer<UInt8>?>.allocate(capacity: slotCount)
        let cellLen = UnsafeMutablePointer<Int>.allocate(capacity: slotCount)
        let numberValue = UnsafeMutablePointer<Double>.allocate(capacity: slotCount)
        let dateValue = UnsafeMutablePointer<Int32>.allocate(capacity: slotCount)
        var scratchCapacity = 1024
        var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
        defer {
            cellPtr.deallocate()
            cellLen.deallocate()
            numberValue.deallocate()
            dateValue.deallocate()
            scratch.deallocate()
        }
        let slotField = mapping.slotField
        let slotOrder = mapping.slotOrder
        let fieldSlot = mapping.fieldSlot
        let required = schema.columns.map(\.required)
        let kinds = schema.columns.map(\.kind)
        let places = layout.places
        let stored = self.stored
        out.discardTexts(notStored: stored, layout: layout)
        // Unretained references: `out` keeps the builders alive, and the loop must not spend its
        // time on reference counting.
        let texts = out.texts.map { Unmanaged.passUnretained($0) }
        let numbers = out.numbers.map { Unmanaged.passUnretained($0) }
        let dates = out.dates.map { Unmanaged.passUnretained($0) }
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
                line += reader.recordNewlines
                let fields = reader.fieldCount
                let buf = UnsafePointer(reader.buffer)
                let recordLength = reader.recordEnd - reader.recordStart
                if recordLength > scratchCapacity {
                    scratch.deallocate()
                    scratchCapacity = recordLength * 2
                    scratch = .allocate(capacity: scratchCapacity)
                }
                var scratchUsed = 0
                var anyPresent = false
                for s in 0..<slotCount {
                    let f = slotField[s]
                    if f < 0 || f >= fields {
                        cellLen[s] = 0
                        continue
                    }
                    var p = buf + reader.fieldStart[f]
                    var n = reader.fieldEnd[f] - reader.fieldStart[f]
                    if reader.fieldQuoted[f] {
                        let dst = scratch + scratchUsed
                        n = CellText.unquote(p, n, into: dst)
                        p = UnsafePointer(dst)
                        scratchUsed += n
                    }
                    CellText.trim(&p, &n)
                    cellPtr[s] = p
                    cellLen[s] = n
                    if n > 0 { anyPresent = true }
                }
                if !anyPresent {
                    // Blank line or all-empty row, unless an ignored cell holds something.
                    var other = false
                    for f in 0..<fields where f >= fieldSlot.count || fieldSlot[f] < 0 {
                        if CellText.hasContent(buf + reader.fieldStart[f], reader.fieldEnd[f] - reader.fieldStart[f]) {
                            other = true
                            break
                        }
                    }
                    if !other { continue }
                }
                // Validate in the order the cells appear, so the first problem a reader sees is reported.
                var problem: PendingIssue?
                for s in slotOrder {
                    let n = cellLen[s]
                    if n == 0 {
                        if required[s] {
                            let reason =
                                slotField[s] < 0
                                ? "missing required value (the header has no \"\(schema.columns[s].name)\" column)"
                                : "missing required value"
                            problem = PendingIssue(relativeLine: rowLine, column: mapping.slotLabel[s], reason: reason)
                            break
                        }
                        continue
                    }
                    let p = cellPtr[s]!
                    switch kinds[s] {
                    case .number:
                        switch CellParser.number(p, n, decimalComma: dialect.decimalComma) {
                        case .success(let v): numberValue[s] = v
                        case .failure(let e):
                            problem = PendingIssue(
                                relativeLine: rowLine, column: mapping.slotLabel[s],
                                reason: CellText.numberReason(p, n, e, dialect: dialect))
                        }
                    case .date:
                        switch CellParser.date(p, n) {
                        case .success(let v): dateValue[s] = v
                        case .failure(let e):
                            problem = PendingIssue(
                                relativeLine: rowLine, column: mapping.slotLabel[s],
                                reason: CellText.dateReason(p, n, e))
                        }
                    case .text, .keyword:
                        break
                    }
                    if problem != nil { break }
                }
                if let problem {
                    out.issues.append(problem)
                    out.badRows += 1
                    continue
                }
                for s in 0..<slotCount {
                    let n = cellLen[s]
                    switch places[s] {
                    case .text(let t, let keyword):
                        if n == 0 || !stored[s] {
                            texts[t]._withUnsafeGuaranteedRef { $0.appendAbsent() }
                        } else if keyword {
                            texts[t]._withUnsafeGuaranteedRef { $0.appendLowercased(cellPtr[s]!, n) }
                        } else {
                            texts[t]._withUnsafeGuaranteedRef { $0.append(cellPtr[s]!, n) }
                        }
                    case .number(let k):
                        numbers[k]._withUnsafeGuaranteedRef { $0.append(n == 0 ? .nan : numberValue[s]) }
                    case .date(let k):
                        dates[k]._withUnsafeGuaranteedRef { $0.append(n == 0 ? Column.absentDate : dateValue[s]) }
                    }
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
}
