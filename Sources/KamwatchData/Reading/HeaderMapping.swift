import KamwatchVocabulary

/// How one file's header row maps onto its table's known columns.
public struct HeaderMapping: Sendable, Hashable {
    /// One header cell and what became of it.
    public struct Cell: Sendable, Hashable {
        /// The cell as written (trimmed).
        public var text: String
        /// The known column it feeds, or `nil` when it is ignored.
        public var column: String?
        /// Why a cell that looks known is ignored (a repeated column), if so.
        public var note: String?
    }

    /// The note of a header cell that no column takes as it is, but a `where` or `expr` reads.
    public static let readByExpression = "read by where / expr"

    /// Header cells in file order.
    public var cells: [Cell]
    /// Required columns the header lacks: every row of the file is then bad.
    public var missingRequired: [String]

    /// For each field position: the schema column it feeds, or -1.
    var fieldSlot: [Int]
    /// For each schema column: the field position that feeds it, or -1.
    var slotField: [Int]
    /// For each schema column: the name used in issues (header text, or the schema name).
    var slotLabel: [String]
    /// Schema columns in the order their cells appear in a row; absent columns last.
    var slotOrder: [Int]

    /// Maps header cell texts (already trimmed, unquoted) onto `schema`.
    init(header: [String], schema: TableSchema) {
        var cells: [Cell] = []
        var fieldSlot: [Int] = []
        var slotField = Array(repeating: -1, count: schema.columns.count)
        var slotLabel = schema.columns.map(\.name)
        for (position, text) in header.enumerated() {
            let key = HeaderMapping.key(text)
            guard let slot = schema.columns.firstIndex(where: { $0.name == key }) else {
                cells.append(Cell(text: text, column: nil, note: nil))
                fieldSlot.append(-1)
                continue
            }
            if slotField[slot] >= 0 {
                let first = cells[slotField[slot]].text
                cells.append(Cell(text: text, column: nil, note: "repeats column \"\(first)\""))
                fieldSlot.append(-1)
                continue
            }
            slotField[slot] = position
            slotLabel[slot] = text
            cells.append(Cell(text: text, column: schema.columns[slot].name, note: nil))
            fieldSlot.append(slot)
        }
        self.cells = cells
        self.fieldSlot = fieldSlot
        self.slotField = slotField
        self.slotLabel = slotLabel
        self.missingRequired = schema.columns.indices
            .filter { schema.columns[$0].required && slotField[$0] < 0 }
            .map { schema.columns[$0].name }
        let present = schema.columns.indices.filter { slotField[$0] >= 0 }.sorted { slotField[$0] < slotField[$1] }
        let absent = schema.columns.indices.filter { slotField[$0] < 0 }
        self.slotOrder = present + absent
    }

    /// Header names match case-insensitively (ASCII: the known names are ASCII).
    static func key(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

/// The CSV dialect of one file, as detected from its first bytes and header line.
public struct CSVDialect: Sendable, Hashable {
    /// `,`, `;` or TAB.
    public var delimiter: UInt8
    /// What ends a line: a line feed (also after a carriage return), or a lone carriage return
    /// in files whose first line ends with one (old Mac line ends).
    public var lineEnd: UInt8 = UInt8(ascii: "\n")
    /// Whether `,` is accepted as decimal mark (only in `;` files).
    public var decimalComma: Bool { delimiter == UInt8(ascii: ";") }

    /// A readable name of the delimiter: `','`, `';'` or `TAB`.
    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: "\t"): "TAB"
        default: "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// Picks the most frequent of `,` `;` TAB outside quotes in the header line; ties go to
    /// `,`, then `;`, then TAB (so a one-column header is read as comma-separated).
    static func detect(headerLine p: UnsafePointer<UInt8>, count n: Int) -> CSVDialect {
        var comma = 0
        var semicolon = 0
        var tab = 0
        var quoted = false
        for i in 0..<n {
            switch p[i] {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ","): if !quoted { comma += 1 }
            case UInt8(ascii: ";"): if !quoted { semicolon += 1 }
            case UInt8(ascii: "\t"): if !quoted { tab += 1 }
            default: break
            }
        }
        if comma >= semicolon && comma >= tab { return CSVDialect(delimiter: UInt8(ascii: ",")) }
        if semicolon >= tab { return CSVDialect(delimiter: UInt8(ascii: ";")) }
        return CSVDialect(delimiter: UInt8(ascii: "\t"))
    }
}
