import Foundation
import KamwatchRules
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// `Book.load(directory:sources:)` resolves `link: name` columns as each table is read, chunk
/// by chunk: the book and the reports are those of resolving the whole tables afterwards.
@Suite struct LinkWhileReadingTests {
    static let sources = """
        version: 1
        tables:
          accounts:
            files: ["COMPANY*.csv"]
            delimiter: ";"
            columns:
              account_id: ID
              name: Название
              parent_id: {from: Головная, link: name}
          contacts:
            files: ["CONTACT*.csv"]
            delimiter: ";"
            columns: {contact_id: ID, account_id: {from: Компания, link: name}, name: Имя}
          orders:
            files: ["DEAL*.csv"]
            delimiter: ";"
            dates: dmy
            columns:
              order_id: ID
              account_id: {from: Компания, link: name}
              date: Закрыта
              net_amount: Сумма
              list_amount: Сумма
        """

    static func companies(oddName: String) -> String {
        var text = "\"ID\";\"Название\";\"Головная\";\n"
        text += "\"1\";\"ООО «Альфа» №1\";\"\";\n\"2\";\"Бета\";\"ооо «альфа» №1\";\n\"3\";\"Гамма\";\"Гамма\";\n"
        text += "\"4\";\"Дубль\";\"\";\n\"5\";\"дубль\";\"Дубль\";\n\"6\";\"\(oddName)\";\"Бета\";\n"
        for i in 7..<60 { text += "\"\(i)\";\"Компания \(i % 50)\";\"\(i % 3 == 0 ? "Бета" : "")\";\n" }
        return text
    }

    /// Runs of rows naming one company, names in any case, unknown and shared names, blanks.
    static func rows(_ kind: String, count: Int, cell: String, duplicate: Bool) -> String {
        var text =
            kind == "CONTACT"
            ? "\"ID\";\"Компания\";\"Имя\";\n" : "\"ID\";\"Компания\";\"Закрыта\";\"Сумма\";\n"
        for i in 0..<count {
            let name: String
            switch i % 13 {
            case 0: name = "ДУБЛЬ"
            case 1, 2: name = "бета"
            case 3: name = ""
            case 4: name = "Нет такой"
            case 5: name = cell
            case 6, 7, 8: name = "компания \(i % 60)"
            default: name = "ООО «АЛЬФА» №1"
            }
            let id = duplicate && i == count - 1 ? "\(kind)0" : "\(kind)\(i)"
            text +=
                kind == "CONTACT"
                ? "\"\(id)\";\"\(name)\";\"x\";\n" : "\"\(id)\";\"\(name)\";\"01.07.2025\";\"\(i),5\";\n"
        }
        return text
    }

    /// Every cell of the book's tables, with their groups.
    func dump(_ book: Book) -> [String] {
        [book.accounts, book.contacts, book.orders].map { table in
            let cells = table.columns.map { column -> String in
                switch column {
                case .text(let t): (0..<t.count).map { t[$0] ?? "-" }.joined(separator: "|")
                case .number(let v): v.map { "\($0)" }.joined(separator: "|")
                case .date(let d): d.map { "\($0)" }.joined(separator: "|")
                }
            }
            return cells.joined(separator: "\n") + "\n" + table.groupStarts.map { "\($0)" }.joined(separator: ",")
        } + [book.parent.map { "\($0)" }.joined(separator: ",")]
    }

    @Test(
        "names link as when the tables are resolved after reading",
        arguments: [
            ("Дельта", "Дельта", false),  // by bytes
            ("Дельта", "де\u{301}льта", false),  // a cell compared as text
            ("Cafe\u{301}", "CAFÉ", false),  // names compared as text
            ("Дельта", "дельта", true),  // a duplicate id: the columns are not in chunks
        ], [700, 1 << 20])
    func linksWhileReading(names: (oddName: String, cell: String, duplicate: Bool), chunkSize: Int) throws {
        let (oddName, cell, duplicate) = names
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-linkread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = [
            "COMPANY_1.csv": Self.companies(oddName: oddName),
            "CONTACT_1.csv": Self.rows("CONTACT", count: 700, cell: cell, duplicate: duplicate),
            "DEAL_1.csv": Self.rows("DEAL", count: 900, cell: cell, duplicate: duplicate),
        ]
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let plan = try SourcesFile.parse(file: "s.yaml", text: Self.sources, presets: nil)
        // Resolved after reading, in one piece.
        var tables = try Book.readTables(directory: dir.path, sources: plan)
        var expectedIssues = TableName.allCases.flatMap { tables[$0]?.issues ?? [] }
        expectedIssues += plan.resolveLinks(&tables)
        let expected = Book.assemble(tables)
        expectedIssues += expected.issues
        // Resolved while reading, in chunks.
        // Each chunk resolved as it is decoded (on one thread, the accounts are indexed before
        // any other chunk is decoded) or while its table is merged, or each table once merged.
        let ways: [(Int, SourceLinking.ChunkLinking)] = [(1, .all), (2, .all), (1, .merging), (2, .none)]
        for (workers, linkChunks) in ways {
            let (book, issues) = try Book.load(
                directory: dir.path, sources: plan, keeping: .all, chunkSize: chunkSize, workers: workers,
                linkChunks: linkChunks)
            #expect(dump(book) == dump(expected.book))
            #expect(issues.map(\.description) == expectedIssues.map(\.description))
            #expect(issues.contains { $0.reason.contains("shared by the accounts") })
        }
    }
}
