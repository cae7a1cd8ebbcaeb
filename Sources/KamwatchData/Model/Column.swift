import KamwatchVocabulary

/// Text cells of one column, stored as one UTF-8 byte arena (no `String` per cell).
public struct TextColumn: Sendable {
    /// All cells' UTF-8 bytes, back to back.
    public var bytes: [UInt8]
    /// `ends[i]` is where row i's bytes end; row i starts at `ends[i-1]` (0 for row 0).
    /// An absent cell is empty.
    public var ends: [UInt32]

    public init(bytes: [UInt8] = [], ends: [UInt32] = []) {
        self.bytes = bytes
        self.ends = ends
    }

    public var count: Int { ends.count }

    /// Byte range of row `row` in `bytes`.
    @inlinable
    public func range(_ row: Int) -> Range<Int> {
        let start = row == 0 ? 0 : Int(ends[row - 1])
        return start..<Int(ends[row])
    }

    /// Whether row `row` has a value.
    @inlinable
    public func isPresent(_ row: Int) -> Bool { !range(row).isEmpty }

    /// The cell as a `String`; `nil` when absent.
    public subscript(row: Int) -> String? {
        let r = range(row)
        if r.isEmpty { return nil }
        return String(decoding: bytes[r], as: UTF8.self)
    }

    public mutating func append(_ utf8: some Collection<UInt8>) {
        bytes.append(contentsOf: utf8)
        ends.append(UInt32(bytes.count))
    }

    public mutating func appendAbsent() { ends.append(UInt32(bytes.count)) }

    /// Whether every cell sorts strictly after the one before it, in byte order (a prefix first).
    public func ascendsStrictly() -> Bool {
        bytes.withUnsafeBufferPointer { b in
            ends.withUnsafeBufferPointer { ends in
                guard let base = b.baseAddress ?? UnsafePointer(bitPattern: 1), ends.count > 1 else { return true }
                for row in 1..<ends.count
                where !ByteOrder.less(
                    base + ends.rangeStart(row - 1), ends.rangeCount(row - 1), base + ends.rangeStart(row),
                    ends.rangeCount(row))
                {
                    return false
                }
                return true
            }
        }
    }
}

/// One column of a table, typed by its `ColumnKind`.
public enum Column: Sendable {
    /// `.text` and `.keyword` columns.
    case text(TextColumn)
    /// `.number` columns; an absent cell is `Double.nan` (input never yields NaN).
    case number([Double])
    /// `.date` columns as `Day.ordinal`; an absent cell is `Column.absentDate`.
    case date([Int32])

    public static let absentDate = Int32.min

    /// A text column of `count` absent cells.
    static func absentText(count: Int) -> Column {
        .text(TextColumn(bytes: [], ends: ColumnBuffer.zeros(count: count)))
    }
}
