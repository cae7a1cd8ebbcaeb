import Foundation
import KamwatchRules
import KamwatchVocabulary
import Testing

@testable import KamwatchData

/// Big mapped exports are read in chunks, like SPEC §1 files: the result is the one-piece read's.
@Suite struct MappedChunkTests {
    static let sources = """
        version: 1
        tables:
          orders:
            files: ["DEAL*.csv"]
            ENCODING
            delimiter: ";"
            dates: dmy
            skip_lines: 2
            where: '`Стадия` == "Сделка успешна"'
            columns:
              order_id: ID
              account_id: Компания
              date: Закрыта
              net_amount: Сумма
              list_amount: {expr: '`Сумма` + 1'}
        """

    /// Title lines, then every cell quoted and followed by `;`; quoted line ends, bad numbers
    /// and dates, blank lines and rows the `where` drops along the way.
    static func deals(rows: Int) -> String {
        var text = "Сделки;\r\nвыгрузка от 01.12.2026;\r\n"
        text += "\"ID\";\"Компания\";\"Стадия\";\"Закрыта\";\"Сумма\";\"Примечание\";\r\n"
        for i in 0..<rows {
            let stage = i % 9 == 4 ? "Сделка провалена" : "Сделка успешна"
            let amount = i % 23 == 0 ? "1,2,3" : "\(i % 1000) 500,25"
            let date = i % 29 == 0 ? "31.02.2026" : "\(10 + i % 18).0\(1 + i % 9).2026"
            let note: String
            switch i % 5 {
            case 0: note = "многострочное\r\nпримечание; с \"\"кавычками\"\""
            case 1: note = "\r\n\r\n"
            default: note = "Иванов"
            }
            text += "\"D\(i)\";\"Компания №\(i % 40)\";\"\(stage)\";\"\(date)\";\"\(amount)\";\"\(note)\";\r\n"
            if i % 31 == 0 { text += "\r\n" }
        }
        return text
    }

    func read(_ bytes: [UInt8], encoding: String, chunkSize: Int) throws -> (data: TableData, chunks: Int) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-chunk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(bytes).write(to: dir.appendingPathComponent("DEAL_1.csv"))
        let text = MappedChunkTests.sources.replacingOccurrences(of: "ENCODING", with: encoding)
        let plan = try SourcesFile.parse(file: "s.yaml", text: text, presets: nil)
        let filePlan = FilePlan.make(
            name: "DEAL_1.csv", path: dir.appendingPathComponent("DEAL_1.csv").path,
            schema: TableSchema.schema(for: .orders), chunkSize: chunkSize, source: plan.tables[.orders])
        let data = try #require(
            TableReader.read([.orders: ["DEAL_1.csv"]], in: dir.path, chunkSize: chunkSize, sources: plan)[.orders])
        return (data, filePlan.chunks.count)
    }

    func rows(_ data: TableData) -> [String] {
        (0..<data.rowCount).map { row in
            data.columns.map { column -> String in
                switch column {
                case .text(let t): t[row] ?? "-"
                case .number(let v): "\(v[row])"
                case .date(let d): "\(d[row])"
                }
            }.joined(separator: "|") + "@\(data.lines[row])"
        }
    }

    /// A Windows-1251 export whose block gives no encoding is found so by its header and read
    /// in chunks too.
    @Test("UTF-8 and Windows-1251 exports read in chunks give the one-piece result", arguments: [500, 2000, 8000])
    func chunkedMapped(chunkSize: Int) throws {
        let text = MappedChunkTests.deals(rows: 400)
        let windows1251 = Array(text.data(using: .windowsCP1251)!)
        let encodings = [
            (Array(text.utf8), "encoding: utf-8"), (windows1251, "encoding: windows-1251"), (windows1251, ""),
        ]
        for (bytes, encoding) in encodings {
            let (whole, one) = try read(bytes, encoding: encoding, chunkSize: 1 << 30)
            let (split, chunks) = try read(bytes, encoding: encoding, chunkSize: chunkSize)
            #expect(one == 1)
            #expect(chunks > 1, "read in \(chunks) chunk(s)")
            #expect(whole.rowCount > 300)
            #expect(whole.issues.count > 20)
            #expect(rows(split) == rows(whole))
            #expect(split.issues.map(\.description) == whole.issues.map(\.description))
            #expect(split.files.map(\.goodRows) == whole.files.map(\.goodRows))
            #expect(split.files.map(\.badRows) == whole.files.map(\.badRows))
            #expect(split.files.map(\.encoding) == whole.files.map(\.encoding))
            if bytes == windows1251 { #expect(split.files.map(\.encoding) == [.windows1251]) }
        }
        // Windows-1251 is read in the file's own bytes, cell by cell converted: the UTF-8 file's rows.
        let (utf8, _) = try read(Array(text.utf8), encoding: "encoding: utf-8", chunkSize: 1 << 30)
        for chunks in [1 << 30, chunkSize] {
            let (converted, _) = try read(windows1251, encoding: "", chunkSize: chunks)
            #expect(rows(converted) == rows(utf8))
            #expect(converted.issues.map(\.description) == utf8.issues.map(\.description))
        }
        // Found by its header or declared, the same rows, issues and reports.
        let (found, _) = try read(windows1251, encoding: "", chunkSize: chunkSize)
        let (declared, _) = try read(windows1251, encoding: "encoding: windows-1251", chunkSize: 1 << 30)
        #expect(rows(found) == rows(declared))
        #expect(found.issues.map(\.description) == declared.issues.map(\.description))
        #expect(found.files == declared.files)
    }

    /// Chunks of thousands of rows: each sizes its columns after its first 1 024 rows, from
    /// the bytes read so far (converted bytes for Windows-1251).
    @Test("exports read in chunks of thousands of rows give the one-piece result")
    func bigChunks() throws {
        let text = MappedChunkTests.deals(rows: 12_000)
        let windows1251 = Array(text.data(using: .windowsCP1251)!)
        for (bytes, encoding) in [(Array(text.utf8), "encoding: utf-8"), (windows1251, "")] {
            let (whole, _) = try read(bytes, encoding: encoding, chunkSize: 1 << 30)
            let (split, chunks) = try read(bytes, encoding: encoding, chunkSize: 300_000)
            #expect(chunks > 1, "read in \(chunks) chunk(s)")
            #expect(whole.rowCount > 1100 * chunks)
            #expect(rows(split) == rows(whole))
            #expect(split.issues.map(\.description) == whole.issues.map(\.description))
            #expect(split.files == whole.files)
        }
    }

    /// Chunks of a Windows-1251 export are split in the file's own bytes and each cell the
    /// block reads converted on its own: blanks at a cell's ends (0xA0 is U+00A0), rows of
    /// blanks only, and bad cells reported in UTF-8, as the one-piece read of the converted file.
    @Test("Windows-1251 cells converted one by one give the one-piece result", arguments: [400, 1500])
    func windows1251Cells(chunkSize: Int) throws {
        var text = "Сделки;\r\nвыгрузка;\r\n\"ID\";\"Компания\";\"Стадия\";\"Закрыта\";\"Сумма\";\"Примечание\";\r\n"
        for i in 0..<300 {
            let amount: String
            switch i % 7 {
            case 0: amount = "\u{00A0}1\u{00A0}250,5\u{00A0}"
            case 1: amount = "сто рублей"
            case 2: amount = " 12,25 "
            default: amount = "\(i),75"
            }
            let date = i % 11 == 3 ? "31.ёж.2026" : "\u{00A0}0\(1 + i % 9).03.2026"
            let company = i % 3 == 0 ? "\u{00A0}ООО «Ёлка» №\(i % 5)\u{00A0}" : "Компания \"\"Я\"\" \(i % 4)"
            let stage = i % 13 == 5 ? "\u{00A0}" : "Сделка успешна"
            text += "\"D\(i)\";\"\(company)\";\"\(stage)\";\"\(date)\";\"\(amount)\";\"Ъъ\";\r\n"
            // Rows of blanks: U+00A0 and quotes only, or U+00A0 inside a word.
            if i % 17 == 0 { text += "\"\u{00A0}\";\"\";\u{00A0} ;\"\u{00A0}\u{00A0}\";;\r\n" }
            if i % 19 == 0 { text += "\"В\u{00A0}Б\";;;;;\r\n" }
        }
        let windows1251 = Array(text.data(using: .windowsCP1251)!)
        let (utf8, _) = try read(Array(text.utf8), encoding: "encoding: utf-8", chunkSize: 1 << 30)
        for encoding in ["encoding: windows-1251", ""] {
            let (whole, one) = try read(windows1251, encoding: encoding, chunkSize: 1 << 30)
            let (split, chunks) = try read(windows1251, encoding: encoding, chunkSize: chunkSize)
            #expect(one == 1)
            #expect(chunks > 3, "read in \(chunks) chunk(s)")
            #expect(rows(split) == rows(whole))
            #expect(rows(split) == rows(utf8))
            #expect(split.issues.map(\.description) == whole.issues.map(\.description))
            #expect(split.issues.map(\.description) == utf8.issues.map(\.description))
            #expect(split.files == whole.files)
            #expect(split.files.map(\.badRows) == utf8.files.map(\.badRows))
            #expect(split.issues.contains { $0.description.contains("\"сто рублей\"") })
            #expect(split.issues.contains { $0.description.contains("31.ёж.2026") })
            #expect(rows(split).contains { $0.contains("|ООО «Ёлка» №0|") })
        }
    }

    /// `link: name` by bytes, and as text when a name or a cell needs Unicode's equivalences.
    @Test("names link the same whether compared by bytes or as text")
    func linksByBytesAndAsText() throws {
        let sources = """
            version: 1
            tables:
              accounts:
                files: ["COMPANY*.csv"]
                columns: {account_id: ID, name: Название}
              contacts:
                files: ["CONTACT*.csv"]
                columns: {contact_id: ID, account_id: {from: Компания, link: name}, name: Имя}
            """
        func linked(_ cell: String) throws -> (ids: [String?], issues: [String]) {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-link-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let companies = "ID,Название\nA1,ООО «Йод» №1\nA2,Acme\nA3,ACME\nA4,Ёлка\n"
            let contacts = "ID,Компания,Имя\nC1,\(cell),x\nC2,ооо «йод» №1,y\nC3,acme,z\nC4,ЁЛКА,w\n"
            try companies.write(to: dir.appendingPathComponent("COMPANY_1.csv"), atomically: true, encoding: .utf8)
            try contacts.write(to: dir.appendingPathComponent("CONTACT_1.csv"), atomically: true, encoding: .utf8)
            let plan = try SourcesFile.parse(file: "s.yaml", text: sources, presets: nil)
            var tables = try Book.readTables(directory: dir.path, sources: plan)
            let issues = plan.resolveLinks(&tables).map(\.description)
            let column = try #require(tables[.contacts]?.columns[1].textColumn)
            return ((0..<column.count).map { column[$0] }, issues)
        }
        // Bytes: every name is ASCII, Cyrillic or punctuation.
        let plain = try linked("ООО «ЙОД» №1")
        #expect(plain.ids == ["A1", "A1", "acme", "A4"])
        #expect(plain.issues.count == 1)
        // Text: the cell spells Й as И and a combining breve, the same name to Unicode.
        let decomposed = try linked("ООО «И\u{0306}ОД» №1")
        #expect(decomposed.ids == plain.ids)
        #expect(decomposed.issues == plain.issues)
    }
}
