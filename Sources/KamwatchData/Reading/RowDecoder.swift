/// Turns the records of one file's data section into typed, validated rows (SPEC §1).
struct RowDecoder {
    let schema: TableSchema
    let mapping: HeaderMapping
    let dialect: CSVDialect
    let layout: ColumnLayout

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
        var line = 0
        let startPosition = reader.position
        var sized = expectedBytes <= 0
        do {
            while reader.position < limit, try reader.next() {
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
                        if n == 0 {
                            out.texts[t].appendAbsent()
                        } else if keyword {
                            out.texts[t].appendLowercased(UnsafeBufferPointer(start: cellPtr[s]!, count: n))
                        } else {
                            out.texts[t].append(UnsafeBufferPointer(start: cellPtr[s]!, count: n))
                        }
                    case .number(let k):
                        out.numbers[k].append(n == 0 ? .nan : numberValue[s])
                    case .date(let k):
                        out.dates[k].append(n == 0 ? Column.absentDate : dateValue[s])
                    }
                }
                out.lines.append(UInt32(truncatingIfNeeded: rowLine))
            }
        } catch {
            out.failure = error
        }
        out.invalidUTF8 = reader.invalidUTF8
        out.endOffset = reader.position
        out.newlines = line
    }
}

/// Byte-level helpers for one cell's text.
enum CellText {
    /// Removes quoting: `"a""b"` becomes `a"b`; text outside quotes is kept as it is.
    static func unquote(_ p: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        var i = 0
        var quoted = false
        while i < n {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                if quoted && i + 1 < n && p[i + 1] == UInt8(ascii: "\"") {
                    dst[o] = c
                    o += 1
                    i += 2
                    continue
                }
                quoted.toggle()
                i += 1
                continue
            }
            dst[o] = c
            o += 1
            i += 1
        }
        return o
    }

    /// Trims spaces, tabs, CR, U+00A0 and U+202F at both ends.
    @inline(__always)
    static func trim(_ p: inout UnsafePointer<UInt8>, _ n: inout Int) {
        while n > 0 {
            let c = p[0]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                p += 1
                n -= 1
            } else if c == 0xC2 && n >= 2 && p[1] == 0xA0 {
                p += 2
                n -= 2
            } else if c == 0xE2 && n >= 3 && p[1] == 0x80 && p[2] == 0xAF {
                p += 3
                n -= 3
            } else {
                break
            }
        }
        while n > 0 {
            let c = p[n - 1]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                n -= 1
            } else if c == 0xA0 && n >= 2 && p[n - 2] == 0xC2 {
                n -= 2
            } else if c == 0xAF && n >= 3 && p[n - 3] == 0xE2 && p[n - 2] == 0x80 {
                n -= 3
            } else {
                break
            }
        }
    }

    /// Whether a raw cell holds anything but blanks and quotes.
    static func hasContent(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var q = p
        var m = n
        trim(&q, &m)
        for i in 0..<m where q[i] != UInt8(ascii: "\"") && q[i] != 0x20 && q[i] != 0x09 { return true }
        return false
    }

    /// The cell as text for a message, shortened when long.
    static func show(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        quoted(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
    }

    /// `"text"` for a message, shortened when long.
    static func quoted(_ text: String) -> String {
        if text.count > 60 { return "\"" + text.prefix(57) + "...\"" }
        return "\"" + text + "\""
    }

    static func numberReason(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ e: CellParser.NumberError, dialect: CSVDialect
    ) -> String {
        let shown = show(p, n)
        switch e {
        case .decimalCommaNotAllowed:
            return "invalid number \(shown) (decimal comma is only accepted in ';' files)"
        case .twoDecimalMarks:
            return "invalid number \(shown) (more than one decimal mark; thousands are separated by spaces)"
        case .badGroup:
            return "invalid number \(shown) (thousands groups must have exactly 3 digits)"
        case .syntax:
            return dialect.decimalComma
                ? "invalid number \(shown) (expected digits with an optional sign and '.' or ',' decimal mark)"
                : "invalid number \(shown) (expected digits with an optional sign and '.' decimal mark)"
        }
    }

    static func dateReason(_ p: UnsafePointer<UInt8>, _ n: Int, _ e: CellParser.DateError) -> String {
        switch e {
        case .syntax: "invalid date \(show(p, n)) (expected YYYY-MM-DD or DD.MM.YYYY)"
        case .noSuchDay: "invalid date \(show(p, n)) (no such date)"
        }
    }
}

extension TextColumn {
    /// Appends bytes from a buffer (a memcpy).
    @inline(__always)
    mutating func append(_ cell: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: cell)
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Appends a keyword cell lower-cased.
    mutating func appendLowercased(_ cell: UnsafeBufferPointer<UInt8>) {
        if cell.contains(where: { $0 >= 0x80 }) {
            let lowered = String(decoding: cell, as: UTF8.self).lowercased()
            bytes.append(contentsOf: lowered.utf8)
        } else {
            for c in cell { bytes.append(c >= 0x41 && c <= 0x5A ? c + 32 : c) }
        }
        ends.append(UInt32(truncatingIfNeeded: bytes.count))
    }
}
