import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Reading tables")
struct TableReaderTests {
    @Test("bad rows are reported with file, line, column and reason (golden)")
    func goldenIssues() throws {
        let data = try readTable(
            .orders,
            "order_id,Account_ID,Date,list_amount,net_amount,cogs\n"
                + "O-1,A1,2025-01-02,100,90,\n"  // good
                + "O-2,,2025-01-02,100,90,\n"  // missing account
                + "O-3,A1,2025-13-01,100,90,\n"  // bad date
                + "O-4,A1,31.02.2025,100,90,\n"  // no such day
                + "O-5,A1,2025-01-02,\"1,5\",90,\n"  // decimal comma in a comma file
                + "O-6,A1,2025-01-02,100,90,abc\n"  // bad optional number
                + "O-1,A1,2025-01-03,100,90,\n"  // duplicate
                + "O-7,A1,1.2.2025,100,90,\n"  // single-digit day and month
                + "O-8,A1,2025-01-02,1 23,90,\n"  // bad group
                + "O-9,A1,2025-01-02,-5,-4.5,1e3\n")  // exponent
        #expect(
            texts(data.issues) == [
                "orders.csv:3:Account_ID: missing required value",
                "orders.csv:4:Date: invalid date \"2025-13-01\" (no such date)",
                "orders.csv:5:Date: invalid date \"31.02.2025\" (no such date)",
                "orders.csv:6:list_amount: invalid number \"1,5\" (decimal comma is only accepted in ';' files)",
                "orders.csv:7:cogs: invalid number \"abc\" (expected digits with an optional sign and '.' decimal mark)",
                "orders.csv:8:order_id: duplicate order_id \"O-1\" (first seen at orders.csv:2)",
                "orders.csv:9:Date: invalid date \"1.2.2025\" (expected YYYY-MM-DD or DD.MM.YYYY)",
                "orders.csv:10:list_amount: invalid number \"1 23\" (thousands groups must have exactly 3 digits)",
                "orders.csv:11:cogs: invalid number \"1e3\" (expected digits with an optional sign and '.' decimal mark)",
            ])
        #expect(rows(data) == ["O-1|A1|2025-01-02|100.0|90.0|-"])
        #expect(data.files[0].goodRows == 1)
        #expect(data.files[0].badRows == 9)
    }

    @Test("the first problem in a row, left to right, is the one reported")
    func firstProblem() throws {
        let data = try readTable(.orders, "net_amount,order_id,date,list_amount,account_id\nx,,bad,y,\n")
        #expect(
            texts(data.issues) == [
                "orders.csv:2:net_amount: invalid number \"x\" (expected digits with an optional sign and '.' decimal mark)"
            ])
    }

    @Test("';' files show the decimal comma in the expected form")
    func semicolonReason() throws {
        let data = try readTable(.serviceCosts, "account_id;date;amount\nA1;2025-01-01;12-3\n")
        #expect(
            texts(data.issues) == [
                "service_costs.csv:2:amount: invalid number \"12-3\" (expected digits with an optional sign and '.' or ',' decimal mark)"
            ])
    }

    @Test("duplicate ids: the first valid row in file order wins, across files")
    func duplicatesAcrossFiles() throws {
        let dir = try ScratchDirectory([
            "contacts-2.csv": "contact_id,account_id\nC1,A2\nC3,A3\n",
            "contacts.csv": "contact_id,account_id\nC1,A1\nC2,A1\nC3,A9\n",
        ])
        let files = try #require(try DataDirectory.scan(dir.path)[.contacts])
        #expect(files == ["contacts-2.csv", "contacts.csv"])
        let data = TableReader.read(.contacts, files: files, in: dir.path)
        #expect(rows(data).map { String($0.prefix(5)) } == ["C1|A2", "C3|A3", "C2|A1"])
        #expect(
            texts(data.issues) == [
                "contacts.csv:2:contact_id: duplicate contact_id \"C1\" (first seen at contacts-2.csv:2)",
                "contacts.csv:4:contact_id: duplicate contact_id \"C3\" (first seen at contacts-2.csv:3)",
            ])
        #expect(data.fileRowStarts == [0, 2, 3])
        #expect(data.source(ofRow: 2) == ("contacts.csv", 3))
    }

    @Test("a bad row does not claim its id")
    func badRowKeepsIdFree() throws {
        let data = try readTable(
            .orders,
            "order_id,account_id,date,list_amount,net_amount\nO-1,A1,someday,1,1\nO-1,A1,2025-01-01,1,1\nO-1,A2,2025-01-01,2,2\n"
        )
        #expect(rows(data) == ["O-1|A1|2025-01-01|1.0|1.0|-"])
        #expect(
            texts(data.issues) == [
                "orders.csv:2:date: invalid date \"someday\" (expected YYYY-MM-DD or DD.MM.YYYY)",
                "orders.csv:4:order_id: duplicate order_id \"O-1\" (first seen at orders.csv:3)",
            ])
    }

    @Test("a failed file contributes no rows; the others still do")
    func failedFile() throws {
        let dir = try ScratchDirectory([
            "orders-b.csv": "order_id,account_id,date,list_amount,net_amount\nO2,A1,2025-01-01,1,1\n"
        ])
        try dir.copyFixture("orders-truncated.csv.gz", as: "orders-a.csv.gz")
        let data = TableReader.read(.orders, files: ["orders-a.csv.gz", "orders-b.csv"], in: dir.path)
        #expect(data.failedFiles == ["orders-a.csv.gz"])
        #expect(rows(data).count == 1)
        #expect(data.fileRowStarts == [0, 0, 1])
        #expect(data.source(ofRow: 0) == ("orders-b.csv", 2))
    }

    /// A file with quoted line feeds and delimiters scattered through it.
    static func trickyFile(rows count: Int) -> String {
        var text = "order_id;account_id;date;list_amount;net_amount;note;cogs\r\n"
        for i in 0..<count {
            let note: String
            switch i % 7 {
            case 0: note = "\"multi\nline; \"\"quoted\"\"\n\""
            case 1: note = "plain"
            case 2: note = "\"a;b\""
            case 3: note = "\"\n\n\n\""
            default: note = ""
            }
            let amount = i % 11 == 0 ? "1 234,5" : "\(i).25"
            let date = i % 13 == 0 ? "bad-date" : (i % 2 == 0 ? "2025-03-\(10 + i % 18)" : "\(10 + i % 18).04.2025")
            let id = i % 17 == 0 ? "O\(i / 2)" : "O\(i)"
            text += "\(id);A\(i % 50);\(date);\(amount);\(i);\(note);\r\n"
            if i % 19 == 0 { text += "\r\n;;;;;;\r\n" }
        }
        return text
    }

    @Test("chunked parallel reading gives exactly the single-chunk result", arguments: [64, 200, 333, 1000, 4096])
    func chunked(chunkSize: Int) throws {
        let text = TableReaderTests.trickyFile(rows: 600)
        let dir = try ScratchDirectory(["orders.csv": text, "orders-0.csv": TableReaderTests.trickyFile(rows: 50)])
        let files = ["orders-0.csv", "orders.csv"]
        let whole = try #require(TableReader.read([.orders: files], in: dir.path, chunkSize: 1 << 30)[.orders])
        let split = try #require(TableReader.read([.orders: files], in: dir.path, chunkSize: chunkSize)[.orders])
        #expect(whole.rowCount > 500)
        #expect(!whole.issues.isEmpty)
        #expect(rows(split) == rows(whole))
        #expect(split.lines == whole.lines)
        #expect(texts(split.issues) == texts(whole.issues))
        #expect(split.fileRowStarts == whole.fileRowStarts)
        #expect(split.files.map(\.goodRows) == whole.files.map(\.goodRows))
        #expect(split.files.map(\.badRows) == whole.files.map(\.badRows))
    }

    @Test("chunked reading of a Windows-1251 file falls back to one piece")
    func chunkedWindows1251() throws {
        var bytes = Array("account_id;name\n".utf8)
        for i in 0..<400 { bytes += Array("A\(i);".utf8) + [0xC8, 0xEC, 0xFF] + Array(" \(i)\n".utf8) }
        let dir = try ScratchDirectory()
        try dir.write("accounts.csv", bytes: bytes)
        let data = try #require(
            TableReader.read([.accounts: ["accounts.csv"]], in: dir.path, chunkSize: 256)[.accounts])
        #expect(data.files[0].encoding == .windows1251)
        #expect(data.rowCount == 400)
        #expect(data.columns[1].textColumn?[399] == "Имя 399")
    }
}
