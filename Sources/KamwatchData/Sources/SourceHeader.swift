import KamwatchVocabulary

/// How one file's header row meets its block's headers.
struct SourceHeader: Sendable {
    /// Per header request: the field position that feeds it, or -1 when the file lacks it.
    var fields: [Int]
    /// The header row and the columns each cell feeds, for reports and `data inspect`.
    var mapping: HeaderMapping
    /// Why every row of the file is bad, when a header the block asks for is missing.
    var missing: String?

    init(header: [String], source: TableSource, schema: TableSchema, file: String, sourcesFile: String) {
        var positions: [String: [Int]] = [:]
        for (position, text) in header.enumerated() where !text.isEmpty {
            positions[HeaderRequest.key(text), default: []].append(position)
        }
        var fields: [Int] = []
        var missing: [String] = []
        for request in source.headers {
            var found = -1
            for name in request.names {
                let (text, occurrence) = HeaderRequest.split(name)
                if let list = positions[HeaderRequest.key(text)], list.count >= occurrence {
                    found = list[occurrence - 1]
                    break
                }
            }
            fields.append(found)
            if found < 0 {
                let names = request.names.map { "\"\($0)\"" }.joined(separator: " or ")
                missing.append("\(names) (\(sourcesFile):\(request.line))")
            }
        }
        self.fields = fields
        if !missing.isEmpty {
            let noun = missing.count == 1 ? "header" : "headers"
            self.missing = "the file has no \(noun) \(missing.joined(separator: ", ")): every row is bad"
        }
        // What each header cell feeds.
        var feeds = Array(repeating: [String](), count: header.count)
        var slotField = Array(repeating: -1, count: schema.columns.count)
        var slotLabel = schema.columns.map(\.name)
        for (slot, spec) in schema.columns.enumerated() {
            guard let column = source.columns[spec.name] else { continue }
            slotLabel[slot] = column.label
            switch column.value {
            case .header(let i), .mapped(let i, _, _):
                let f = fields[i]
                if f >= 0 {
                    feeds[f].append(spec.name)
                    slotField[slot] = f
                    slotLabel[slot] = header[f]
                }
            case .computed: break
            }
        }
        let read = Set(fields.filter { $0 >= 0 })
        let cells = header.enumerated().map { f, text in
            HeaderMapping.Cell(
                text: text, column: feeds[f].isEmpty ? nil : feeds[f].joined(separator: ", "),
                note: feeds[f].isEmpty && read.contains(f) ? HeaderMapping.readByExpression : nil)
        }
        mapping = HeaderMapping(cells: cells, slotField: slotField, slotLabel: slotLabel)
    }
}

extension HeaderMapping {
    /// A mapping decided by a sources file rather than by the header's names.
    init(cells: [Cell], slotField: [Int], slotLabel: [String]) {
        self.cells = cells
        self.missingRequired = []
        self.slotField = slotField
        self.slotLabel = slotLabel
        var fieldSlot = Array(repeating: -1, count: cells.count)
        for (slot, f) in slotField.enumerated() where f >= 0 && fieldSlot[f] < 0 { fieldSlot[f] = slot }
        self.fieldSlot = fieldSlot
        let present = slotField.indices.filter { slotField[$0] >= 0 }.sorted { slotField[$0] < slotField[$1] }
        self.slotOrder = present + slotField.indices.filter { slotField[$0] < 0 }
    }
}
