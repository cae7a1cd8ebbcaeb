import KamwatchVocabulary

/// The cells of one row, by header index (`TableSource.headers`), read by compiled
/// expressions. Valid only during the call it is passed to.
public struct SourceRow {
    let cellPtr: UnsafePointer<UnsafePointer<UInt8>?>
    let cellLen: UnsafePointer<Int>
    let decimalComma: Bool
    let dates: DateStyle

    /// The trimmed cell; `nil` when empty.
    public func text(_ i: Int) -> String? {
        let n = cellLen[i]
        if n == 0 { return nil }
        return String(decoding: UnsafeBufferPointer(start: cellPtr[i]!, count: n), as: UTF8.self)
    }

    /// Appends the trimmed cell's bytes to `out`; `false` (nothing written) when it is empty.
    public func write(_ i: Int, to out: TextScratch) -> Bool {
        let n = cellLen[i]
        if n == 0 { return false }
        out.append(cellPtr[i]!, n)
        return true
    }

    /// Whether the cell is empty (null).
    public func isEmpty(_ i: Int) -> Bool { cellLen[i] == 0 }

    /// Whether the cell equals `bytes` exactly (a text comparison without a `String`).
    public func equals(_ i: Int, _ bytes: [UInt8]) -> Bool {
        let n = cellLen[i]
        guard n == bytes.count, n > 0 else { return false }
        let p = cellPtr[i]!
        return bytes.withUnsafeBufferPointer { memEqual(p, $0.baseAddress!, n) }
    }

    /// The cell read by the block's number rules; `nil` when empty.
    public func number(_ i: Int) throws(SourceCellError) -> Double? {
        let n = cellLen[i]
        if n == 0 { return nil }
        let p = cellPtr[i]!
        if decimalComma, let v = DecimalComma.number(p, n) { return v }
        switch CellParser.number(p, n, decimalComma: decimalComma) {
        case .success(let v): return v
        case .failure(let e):
            let dialect = CSVDialect(delimiter: decimalComma ? UInt8(ascii: ";") : UInt8(ascii: ","))
            throw SourceCellError(header: i, reason: CellText.numberReason(p, n, e, dialect: dialect))
        }
    }

    /// The cell read by the block's date rules; `nil` when empty.
    public func day(_ i: Int) throws(SourceCellError) -> Int32? {
        let n = cellLen[i]
        if n == 0 { return nil }
        let p = cellPtr[i]!
        switch dates.parse(p, n) {
        case .success(let v): return v
        case .failure(let e): throw SourceCellError(header: i, reason: CellText.dateReason(p, n, e, style: dates))
        }
    }
}

extension SourceRow {
    /// `text` read by the block's number rules (`number(t)`); `header` names the cell in reports.
    public func number(text: String, header: Int) throws(SourceCellError) -> Double? {
        var text = text.trimmingSpaces()
        if text.isEmpty { return nil }
        let decimalComma = self.decimalComma
        let result = text.withUTF8 { b in CellParser.number(b.baseAddress!, b.count, decimalComma: decimalComma) }
        switch result {
        case .success(let v): return v
        case .failure(let e):
            let dialect = CSVDialect(delimiter: decimalComma ? UInt8(ascii: ";") : UInt8(ascii: ","))
            let reason = text.withUTF8 { b in CellText.numberReason(b.baseAddress!, b.count, e, dialect: dialect) }
            throw SourceCellError(header: header, reason: reason)
        }
    }

    /// `text` read by the block's date rules (`date(t)`); `header` names the cell in reports.
    public func day(text: String, header: Int) throws(SourceCellError) -> Int32? {
        var text = text.trimmingSpaces()
        if text.isEmpty { return nil }
        let style = dates
        let result = text.withUTF8 { b in style.parse(b.baseAddress!, b.count) }
        switch result {
        case .success(let v): return v
        case .failure(let e):
            let reason = text.withUTF8 { b in CellText.dateReason(b.baseAddress!, b.count, e, style: style) }
            throw SourceCellError(header: header, reason: reason)
        }
    }
}

/// Text of a value as a cell holds it, for parsing an expression's text result.
extension SourceValue {
    /// The value as the text of a cell (`nil` for null and the empty text).
    public var cellText: String? {
        switch self {
        case .null: nil
        case .text(let s): s.isEmpty ? nil : s
        case .number(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .day(let d): Day(ordinal: d).description
        case .bool(let b): b ? "true" : "false"
        }
    }
}
