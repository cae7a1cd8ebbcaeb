import KamwatchData
import KamwatchVocabulary
import Yams

/// The blocks of one sources file as written, each setting with the text it came from
/// (a preset and the user's file are merged before anything is compiled).
struct SourcesFileReader {
    static let topKeys = ["version", "extends", "tables"]
    static let blockKeys = ["files", "encoding", "delimiter", "decimal", "dates", "skip_lines", "where", "columns"]
    static let columnKeys = ["from", "map", "default", "link", "type", "expr"]

    /// A setting and where it was written.
    struct Located {
        var node: Node
        var source: RuleSourceText
    }

    /// One column as written; `nil` in `Block.columns` removes a preset's column.
    struct ColumnEntry {
        var key: Node
        var node: Node
        var source: RuleSourceText
    }

    struct Block {
        var settings: [String: Located] = [:]
        /// Columns in the order written; a `nil` entry removes the column.
        var columns: [(name: String, entry: ColumnEntry?)] = []
    }

    struct Blocks {
        var tables: [TableName: Block] = [:]

        /// `other` over `self`: table by table, setting by setting, column by column.
        mutating func merge(_ other: Blocks) {
            for (table, block) in other.tables {
                var base = tables[table] ?? Block()
                for (k, v) in block.settings { base.settings[k] = v }
                for column in block.columns {
                    base.columns.removeAll { $0.name == column.name }
                    base.columns.append(column)
                }
                tables[table] = base
            }
        }
    }

    var source: RuleSourceText
    var extends: (String, Node)?
    var blocks = Blocks()

    /// The file's blocks, or `nil` (with `errors`) when it is not a sources file.
    static func read(file: String, text: String, errors: inout [RuleError]) -> SourcesFileReader? {
        let source = RuleSourceText(file: file, text: text)
        let root: Node
        do {
            guard let r = try Yams.compose(yaml: text) else {
                errors.append(source.error("empty sources file (expected version: 1 and tables:)", line: 1, column: 1))
                return nil
            }
            root = r
        } catch let e as YamlError {
            errors.append(source.yamlError(e))
            return nil
        } catch {
            errors.append(source.error("cannot read YAML: \(error)", line: 1, column: 1))
            return nil
        }
        guard let map = root.mapping else {
            errors.append(source.error("a sources file is a mapping of keys (version, extends, tables)", at: root))
            return nil
        }
        var reader = SourcesFileReader(source: source)
        var sawVersion = false
        for (k, v) in map {
            switch k.string {
            case "version":
                sawVersion = true
                if v.string != "1" {
                    errors.append(
                        source.error("unsupported version \(v.string ?? "?") (this kamwatch reads version: 1)", at: v))
                }
            case "extends":
                if let name = v.scalar?.string {
                    reader.extends = (name, v)
                } else {
                    errors.append(source.error("extends: names one preset, e.g. extends: bitrix24", at: v))
                }
            case "tables":
                reader.readTables(v, errors: &errors)
            default:
                errors.append(unknown(k, in: source, expected: topKeys))
            }
        }
        if !sawVersion {
            errors.append(source.error("missing key \"version\" (write version: 1)", line: 1, column: 1))
        }
        return reader
    }

    static func unknown(_ k: Node, in source: RuleSourceText, expected: [String]) -> RuleError {
        source.error(
            "unknown key \"\(k.string ?? "?")\" (expected one of \(expected.joined(separator: ", ")))", at: k)
    }

    private mutating func readTables(_ node: Node, errors: inout [RuleError]) {
        guard let map = node.mapping else {
            errors.append(source.error("tables: is a mapping of table name: block", at: node))
            return
        }
        for (k, v) in map {
            guard let name = k.string, let table = TableName(rawValue: name) else {
                let names = TableName.allCases.map(\.rawValue)
                errors.append(
                    source.error(
                        "unknown table \"\(k.string ?? "?")\" (expected one of \(names.joined(separator: ", ")))",
                        at: k))
                continue
            }
            guard let block = v.mapping else {
                errors.append(source.error("a table's block is a mapping (files, columns, …)", at: v))
                continue
            }
            var out = Block()
            for (bk, bv) in block {
                guard let key = bk.string, Self.blockKeys.contains(key) else {
                    errors.append(Self.unknown(bk, in: source, expected: Self.blockKeys))
                    continue
                }
                if key == "columns" {
                    guard let columns = bv.mapping else {
                        errors.append(source.error("columns: is a mapping of column: header", at: bv))
                        continue
                    }
                    for (ck, cv) in columns {
                        let isNull = cv.scalar.map { $0.string == "null" || $0.string == "~" } ?? false
                        out.columns.append(
                            (
                                ck.string ?? "",
                                isNull && cv.scalar?.style == .plain
                                    ? nil : ColumnEntry(key: ck, node: cv, source: source)
                            ))
                        if ck.string == nil { errors.append(source.error("a column name is plain text", at: ck)) }
                    }
                } else {
                    out.settings[key] = Located(node: bv, source: source)
                }
            }
            blocks.tables[table] = out
        }
    }
}
