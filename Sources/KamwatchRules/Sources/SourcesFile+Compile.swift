import KamwatchData
import KamwatchVocabulary
import Yams

extension SourcesFileReader.Block {
    /// The block as the reader takes it: headers collected, `where` and `expr` compiled once.
    func compile(table: TableName, errors: inout [RuleError]) -> TableSource? {
        let schema = TableSchema.schema(for: table)
        let before = errors.count
        var block = TableSource(files: [])
        var requests: [HeaderRequest] = []
        var requestIndex: [[String]: Int] = [:]
        func request(_ names: [String], line: Int) -> Int {
            if let i = requestIndex[names] { return i }
            requests.append(HeaderRequest(names: names, line: line))
            requestIndex[names] = requests.count - 1
            return requests.count - 1
        }
        func setting(_ key: String) -> SourcesFileReader.Located? { settings[key] }

        if let s = setting("files") {
            let items = s.node.sequence.map { Array($0) } ?? [s.node]
            for item in items {
                guard let text = item.string else {
                    errors.append(s.source.error("files: is a file pattern or a list of them", at: item))
                    continue
                }
                do {
                    _ = try Glob(text)
                    block.files.append(text)
                } catch {
                    errors.append(
                        s.source.error(
                            "bad file pattern: \(error.reason)", in: item, range: error.offset..<error.offset + 1))
                }
            }
        } else {
            errors.append(
                SourcesFileReader.located(
                    "the \(table.rawValue) block has no files: (the file patterns it reads)", columns.first?.entry))
        }
        if let s = setting("encoding") {
            if let e = s.node.string.flatMap(SourceEncoding.init(rawValue:)) {
                block.encoding = e
            } else {
                errors.append(s.source.error("encoding: is auto, utf-8 or windows-1251", at: s.node))
            }
        }
        if let s = setting("delimiter") {
            switch s.node.string {
            case "auto": block.delimiter = nil
            case ",": block.delimiter = UInt8(ascii: ",")
            case ";": block.delimiter = UInt8(ascii: ";")
            case "\t", "tab", "TAB": block.delimiter = UInt8(ascii: "\t")
            default: errors.append(s.source.error("delimiter: is auto, \",\", \";\" or \"\\t\"", at: s.node))
            }
        }
        if let s = setting("decimal") {
            switch s.node.string {
            case "auto": block.decimalComma = nil
            case ".": block.decimalComma = false
            case ",": block.decimalComma = true
            default: errors.append(s.source.error("decimal: is auto, \".\" or \",\"", at: s.node))
            }
        }
        if let s = setting("dates") {
            if let d = s.node.string.flatMap(DateStyle.init(rawValue:)) {
                block.dates = d
            } else {
                errors.append(s.source.error("dates: is auto, dmy, mdy or ymd", at: s.node))
            }
        }
        if let s = setting("skip_lines") {
            if let n = s.node.int, n >= 0 {
                block.skipLines = n
            } else {
                errors.append(s.source.error("skip_lines: is a whole number of lines (0 or more)", at: s.node))
            }
        }

        // Columns from headers and maps first, so that expressions can name them.
        var compiledColumns: [String: SourceCompiler.Node] = [:]
        var expressions: [(name: String, entry: SourcesFileReader.ColumnEntry, node: Node)] = []
        for (name, entry) in columns {
            guard let entry else { continue }
            // A name the table does not have is a column of the user's own, which says its type.
            let own = schema.index(of: name) == nil
            if own && entry.node.mapping?.keys.contains(where: { $0.string == "type" }) != true {
                let names = schema.columns.map(\.name).joined(separator: ", ")
                errors.append(
                    entry.source.error(
                        "unknown column \"\(name)\" of \(table.rawValue) (expected one of \(names), "
                            + "or a column of your own with type:)", at: entry.key))
                continue
            }
            let line = entry.node.mark?.line ?? 0
            if let names = SourcesFileReader.headerNames(entry.node) {
                let i = request(names, line: line)
                block.columns[name] = ColumnSource(.header(i), label: names[0])
                compiledColumns[name] = SourceCompiler.Node(kind: .text, header: i) { row in
                    row.text(i).map(SourceValue.text) ?? .null
                }
                continue
            }
            guard let map = entry.node.mapping else {
                errors.append(
                    entry.source.error("a column is a header, a list of headers, or {from: …}", at: entry.node))
                continue
            }
            var fields: [String: Node] = [:]
            for (k, v) in map {
                guard let key = k.string, SourcesFileReader.columnKeys.contains(key) else {
                    errors.append(
                        SourcesFileReader.unknown(k, in: entry.source, expected: SourcesFileReader.columnKeys))
                    continue
                }
                fields[key] = v
            }
            if let type = fields["type"] {
                guard own else {
                    errors.append(
                        entry.source.error(
                            "type: is for a column of your own; \"\(name)\" is one of \(table.rawValue)'s columns",
                            at: type))
                    continue
                }
                guard let spec = Self.ownColumn(name, type: type, fields: fields, entry: entry, errors: &errors) else {
                    continue
                }
                block.ownColumns.append(spec)
            }
            if let expr = fields["expr"] {
                if let other = ["from", "map", "link", "default"].first(where: { fields[$0] != nil }) {
                    errors.append(
                        entry.source.error(
                            "expr: takes no \(other): (it reads headers in backquotes)", at: fields[other]!))
                    continue
                }
                expressions.append((name, entry, expr))
                continue
            }
            guard let from = fields["from"], let names = SourcesFileReader.headerNames(from) else {
                errors.append(
                    entry.source.error("a column needs from: (a header or a list of them) or expr:", at: entry.node))
                continue
            }
            let i = request(names, line: from.mark?.line ?? line)
            if fields["map"] != nil && fields["link"] != nil {
                errors.append(entry.source.error("a column has at most one of map: and link:", at: fields["link"]!))
                continue
            }
            if let link = fields["link"] {
                guard link.string == "name" else {
                    errors.append(
                        entry.source.error("link: name is the only link (the cell holds an account's name)", at: link))
                    continue
                }
                block.columns[name] = ColumnSource(.header(i), link: true, label: names[0])
                continue
            }
            if let mapNode = fields["map"] {
                guard let pairs = mapNode.mapping else {
                    errors.append(entry.source.error("map: is a mapping of value: column value", at: mapNode))
                    continue
                }
                var values: [String: String] = [:]
                for (k, v) in pairs {
                    values[(k.string ?? "").trimmingSpacesOrTabs().lowercased()] = v.string ?? ""
                }
                let table = values
                let otherwise = fields["default"]?.string
                block.columns[name] = ColumnSource(.mapped(i, table: table, otherwise: otherwise), label: names[0])
                compiledColumns[name] = SourceCompiler.Node(kind: .text, header: nil) { row in
                    guard let text = row.text(i) else { return .null }
                    let mapped = table[text.lowercased()] ?? otherwise ?? text
                    return mapped.isEmpty ? .null : .text(mapped)
                }
                continue
            }
            if let d = fields["default"] {
                errors.append(entry.source.error("default: goes with map:", at: d))
                continue
            }
            block.columns[name] = ColumnSource(.header(i), label: names[0])
            compiledColumns[name] = SourceCompiler.headerNode(i)
        }
        func compiler(_ node: Node) -> SourceCompiler {
            SourceCompiler(
                header: { name, _ in request([name], line: node.mark?.line ?? 0) },
                column: { compiledColumns[$0] })
        }
        for (name, entry, node) in expressions {
            guard let text = node.string else {
                errors.append(entry.source.error("expr: is an expression in quotes", at: node))
                continue
            }
            do {
                let compiled = try compiler(node).compile(try Parser.parse(text))
                block.columns[name] = ColumnSource(
                    .computed(SourceFunction(compiled.run, bytes: compiled.kind == .text ? compiled.write : nil)),
                    label: name)
                compiledColumns[name] = compiled
            } catch {
                errors.append(entry.source.error(error.message, in: node, range: error.range))
            }
        }
        if let s = setting("where") {
            if let text = s.node.string {
                do {
                    let compiled = try compiler(s.node).compile(try Parser.parse(text))
                    if compiled.kind != .bool && compiled.kind != .null {
                        errors.append(s.source.error("where: is a condition (true or false)", at: s.node))
                    }
                    block.filter = SourceFunction(compiled.run)
                } catch {
                    errors.append(s.source.error(error.message, in: s.node, range: error.range))
                }
            } else {
                errors.append(s.source.error("where: is a condition in quotes", at: s.node))
            }
        }
        block.headers = requests
        block.ownColumns.sort { $0.name < $1.name }
        return errors.count == before ? block : nil
    }
}

extension SourcesFileReader.Block {
    /// The types a column of the user's own may have, as `type:` writes them.
    static let ownColumnTypes: [String: ColumnKind] = [
        "text": .text, "keyword": .keyword, "number": .number, "date": .date,
    ]

    /// The column of the user's own that `entry` declares, or `nil` with its errors: a name rules
    /// can write (`account.region`), one known type, and a value from a header or an expression.
    static func ownColumn(
        _ name: String, type: Node, fields: [String: Node], entry: SourcesFileReader.ColumnEntry,
        errors: inout [RuleError]
    ) -> ColumnSpec? {
        let before = errors.count
        let scalars = name.unicodeScalars
        let valid =
            scalars.first.map { $0 == "_" || ("a"..."z").contains($0) } == true
            && scalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        if !valid {
            errors.append(
                entry.source.error(
                    "a column of your own is named as rules write it: lower-case a-z, digits and _ "
                        + "(e.g. region, segment_2)", at: entry.key))
        } else if reservedWords.contains(name) {
            errors.append(
                entry.source.error(
                    "\"\(name)\" is a word of the rule language; name the column otherwise", at: entry.key))
        }
        let kind = type.string.flatMap { ownColumnTypes[$0] }
        if kind == nil {
            errors.append(entry.source.error("type: is text, keyword, number or date", at: type))
        }
        if let other = ["map", "link", "default"].first(where: { fields[$0] != nil }) {
            errors.append(
                entry.source.error(
                    "a column with type: takes no \(other): (it is read from: a header, or computed by expr:)",
                    at: fields[other]!))
        }
        guard errors.count == before, let kind else { return nil }
        return ColumnSpec(name, kind)
    }
}

extension SourcesFileReader {
    /// A header, or a list of alternatives, as written.
    static func headerNames(_ node: Node) -> [String]? {
        if let s = node.scalar?.string, node.scalar?.style != .plain || (s != "null" && s != "~") { return [s] }
        if let seq = node.sequence {
            let names = seq.compactMap(\.string)
            return names.count == seq.count && !names.isEmpty ? names : nil
        }
        return nil
    }

    static func located(_ message: String, _ entry: ColumnEntry?) -> RuleError {
        guard let entry else {
            return RuleError(location: RuleLocation(file: "", line: 0, column: 0), message: message)
        }
        return entry.source.error(message, at: entry.key)
    }
}

extension String {
    fileprivate func trimmingSpacesOrTabs() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...lastIndex(where: { !isSpace($0) })!])
    }
}
