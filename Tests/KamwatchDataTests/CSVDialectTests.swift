import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("CSV dialect")
struct CSVDialectTests {
    let header = "order_id,account_id,date,list_amount,net_amount,cogs\n"

    @Test("RFC 4180 quoting: delimiters, doubled quotes and line feeds inside quotes")
    func quoting() throws {
        let data = try readTable(
            .accounts,
            "account_id,name,industry\n"
                + "A1,\"Acme, Inc.\",\"say \"\"hi\"\"\"\n"
                + "A2,\"two\nlines\",x\n"
                + "A3,\"\",\"  padded  \"\n"
                + "A4, \"spaced\" ,y\n")
        #expect(
            rows(data) == [
                "A1|Acme, Inc.|-|-|-|-|say \"hi\"", "A2|two\nlines|-|-|-|-|x", "A4|spaced|-|-|-|-|y",
            ])
        // A3's name is a quoted empty cell: absent. A2 spans lines 3 and 4.
        #expect(texts(data.issues) == ["accounts.csv:5:name: missing required value"])
    }

    @Test("cells of every length up to a few words are split exactly", arguments: [",", ";", "\t"])
    func cellLengths(delimiter: String) throws {
        var text = ["account_id", "name", "owner"].joined(separator: delimiter) + "\n"
        var expected: [String] = []
        for k in 0..<40 {
            let name = String((0..<(k + 1)).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
            let owner = k % 3 == 0 ? "\"q\(delimiter)\(k)\"" : "o\(k)"
            text += ["A\(k)", name, owner].joined(separator: delimiter) + (k % 2 == 0 ? "\n" : "\r\n")
            expected.append("A\(k)|\(name)|-|" + (k % 3 == 0 ? "q\(delimiter)\(k)" : "o\(k)") + "|-|-|-")
        }
        let data = try readTable(.accounts, text)
        #expect(data.issues.isEmpty)
        #expect(rows(data) == expected)
    }

    @Test("a quoted empty required cell is missing")
    func quotedEmpty() throws {
        let data = try readTable(.accounts, "account_id,name\nA3,\"\"\nA4,x\n")
        #expect(texts(data.issues) == ["accounts.csv:2:name: missing required value"])
        #expect(rows(data).count == 1)
    }

    @Test("line numbers are physical lines where the record starts")
    func physicalLines() throws {
        let data = try readTable(
            .accounts,
            "account_id,name\r\nA1,\"multi\r\nline\r\nname\"\r\n\r\nA2,\r\nA3,ok\r\n")
        #expect(texts(data.issues) == ["accounts.csv:6:name: missing required value"])
        #expect(data.lines == [2, 7])
        #expect(rows(data).first == "A1|multi\r\nline\r\nname|-|-|-|-|-")
    }

    @Test(
        "delimiter: most frequent of , ; TAB outside quotes; ties , then ; then TAB",
        arguments: [
            ("account_id,name", "','"), ("account_id;name", "';'"), ("account_id\tname", "TAB"),
            ("account_id", "','"), ("a,b;c", "','"), ("a;b\tc", "';'"), ("a,b\tc", "','"),
            ("a;b;c,d", "';'"), ("\"x,y,z\";a;b", "';'"), ("a\tb\tc;d,e", "TAB"), ("a,b;c;d\te\tf\tg", "TAB"),
        ])
    func delimiter(header: String, expected: String) throws {
        let data = try readTable(.accounts, header + "\nA1\n")
        #expect(data.files[0].dialect?.delimiterName == expected)
    }

    @Test(
        "other delimiters are plain text in cells",
        arguments: [
            ("account_id,name\nA1,x;y\n", "A1|x;y"), ("account_id;name\nA1;x,y\n", "A1|x,y"),
            ("account_id\tname\nA1\tx,y;z\n", "A1|x,y;z"), ("\"account,id\";account_id;name\nq;A1;n\n", "A1|n"),
        ])
    func otherDelimiters(text: String, expected: String) throws {
        let data = try readTable(.accounts, text)
        #expect(data.issues.isEmpty)
        #expect(rows(data).map { $0.split(separator: "|").prefix(2).joined(separator: "|") } == [expected])
    }

    @Test("delimiter names in reports")
    func delimiterNames() throws {
        let data = try readTable(.accounts, "account_id\tname\nA1\tx\n")
        #expect(data.files[0].dialect?.delimiterName == "TAB")
        #expect(data.files[0].dialect?.decimalComma == false)
        let semi = try readTable(.accounts, "account_id;name\nA1;x\n")
        #expect(semi.files[0].dialect?.delimiterName == "';'")
        #expect(semi.files[0].dialect?.decimalComma == true)
    }

    @Test("UTF-8 with BOM")
    func bom() throws {
        let data = try readTable(.accounts, bytes: [0xEF, 0xBB, 0xBF] + Array("Account_ID,Name\nA1,Ёлка\n".utf8))
        #expect(data.files[0].encoding == .utf8WithBOM)
        #expect(rows(data) == ["A1|Ёлка|-|-|-|-|-"])
    }

    @Test("Windows-1251 when the file is not UTF-8")
    func windows1251() throws {
        // "account_id;name;industry\nA1;Рога и копыта;Сталь №1\n" in Windows-1251
        var bytes = Array("account_id;name;industry\nA1;".utf8)
        bytes += [0xD0, 0xEE, 0xE3, 0xE0, 0x20, 0xE8, 0x20, 0xEA, 0xEE, 0xEF, 0xFB, 0xF2, 0xE0]
        bytes += Array(";".utf8) + [0xD1, 0xF2, 0xE0, 0xEB, 0xFC, 0x20, 0xB9, 0x31, 0xA0] + Array("\n".utf8)
        let data = try readTable(.accounts, bytes: bytes)
        #expect(data.files[0].encoding == .windows1251)
        #expect(rows(data) == ["A1|Рога и копыта|-|-|-|-|Сталь №1"])
    }

    @Test("the encoding is decided for the whole file, also when the bad byte comes late")
    func lateWindows1251() throws {
        var text = "account_id,name\n"
        for i in 0..<2000 { text += "A\(i),Имя \(i)\n" }
        var bytes = Array(text.utf8)
        bytes += Array("Z,".utf8) + [0xDF] + Array("\n".utf8)  // 'Я' in Windows-1251
        let data = try readTable(.accounts, bytes: bytes)
        #expect(data.files[0].encoding == .windows1251)
        // The UTF-8 Cyrillic of the earlier rows is read as Windows-1251 too: that is the rule.
        #expect(data.rowCount == 2001)
        #expect(data.columns[1].textColumn?[2000] == "Я")
    }

    @Test("gzip, also with several members")
    func gzip() throws {
        let dir = try ScratchDirectory()
        try dir.copyFixture("orders-gzip.csv.gz", as: "orders.csv.gz")
        try dir.copyFixture("orders-multi.csv.gz", as: "orders-multi.csv.gz")
        let single = TableReader.read(.orders, files: ["orders.csv.gz"], in: dir.path)
        #expect(single.issues.isEmpty)
        #expect(single.files[0].gzip)
        #expect(rows(single) == ["O-1|A1|2025-01-02|100.0|90.0|-", "O-2|A2|2025-01-03|200.5|180.0|-"])
        let multi = TableReader.read(.orders, files: ["orders-multi.csv.gz"], in: dir.path)
        #expect(multi.issues.isEmpty)
        #expect(multi.rowCount == 3)
        #expect(multi.lines == [2, 3, 4])
    }

    @Test(
        "unreadable gzip is one issue and no rows",
        arguments: [
            ("orders-truncated.csv.gz", "orders.csv.gz: corrupt gzip data: the file is truncated"),
            ("orders-notgzip.csv.gz", "orders.csv.gz: corrupt gzip data: incorrect header check"),
        ])
    func badGzip(fixture: String, message: String) throws {
        let dir = try ScratchDirectory()
        try dir.copyFixture(fixture, as: "orders.csv.gz")
        let data = TableReader.read(.orders, files: ["orders.csv.gz"], in: dir.path)
        #expect(texts(data.issues) == [message])
        #expect(data.failedFiles == ["orders.csv.gz"])
        #expect(data.rowCount == 0)
    }

    @Test("an empty file has no header")
    func empty() throws {
        for text in ["", "\n\n", " , \n"] {
            let data = try readTable(.accounts, text)
            #expect(texts(data.issues) == ["accounts.csv: no header row (the file is empty)"])
            #expect(data.failedFiles == ["accounts.csv"])
        }
    }

    @Test("a missing file is reported, not thrown")
    func missingFile() throws {
        let dir = try ScratchDirectory()
        let data = TableReader.read(.accounts, files: ["accounts.csv"], in: dir.path)
        #expect(texts(data.issues) == ["accounts.csv: cannot open: No such file or directory"])
        #expect(data.failedFiles == ["accounts.csv"])
    }

    @Test("headers: case-insensitive, trimmed, any order, unknown columns ignored")
    func headers() throws {
        let data = try readTable(
            .orders, " NET_amount ;Extra;Order_ID;DATE;account_id;List_Amount;net_amount\n5;x;O1;2025-01-01;A1;10;99\n")
        #expect(data.issues.isEmpty)
        #expect(rows(data) == ["O1|A1|2025-01-01|10.0|5.0|-"])
        let header = try #require(data.files[0].header)
        #expect(
            header.cells.map(\.column) == ["net_amount", nil, "order_id", "date", "account_id", "list_amount", nil])
        #expect(header.cells[6].note == "repeats column \"NET_amount\"")
        #expect(header.missingRequired == [])
    }

    @Test("cells are trimmed; blank and all-empty rows are skipped; short rows; extra cells")
    func cells() throws {
        let data = try readTable(
            .accounts,
            "account_id,name,tier,owner\n"
                + "  A1 ,\t Name \u{00A0},  STRATEGIC ,\u{202F}o\n"
                + "\n"
                + ",,,\n"
                + " , ,\t,\n"
                + "A2,Short\n"
                + "A3,Extra,key,o,x,y,z\n")
        #expect(data.issues.isEmpty)
        #expect(rows(data) == ["A1|Name|strategic|o|-|-|-", "A2|Short|-|-|-|-|-", "A3|Extra|key|o|-|-|-"])
        #expect(data.lines == [2, 6, 7])
    }

    @Test("a row with only an unknown column filled is not blank")
    func unknownOnly() throws {
        let data = try readTable(.accounts, "account_id,name,comment\n,,hello\n")
        #expect(texts(data.issues) == ["accounts.csv:2:account_id: missing required value"])
    }

    @Test("keywords are lower-cased, also Cyrillic")
    func keywords() throws {
        let data = try readTable(.events, "account_id,date,type\nA1,2025-01-01,MeRgEr\nA2,2025-01-01,СЛИЯНИЕ\n")
        #expect(rows(data) == ["A1|2025-01-01|merger|-|-", "A2|2025-01-01|слияние|-|-"])
    }

    @Test("numbers by delimiter: decimal comma only in ';' files")
    func numbersByDelimiter() throws {
        let semi = try readTable(
            .serviceCosts,
            "account_id;date;amount\nA1;01.02.2025;1 234,50\nA2;2025-02-01;\"7.5\"\nA3;01.02.2025;1.234,56\n")
        #expect(rows(semi) == ["A1|2025-02-01|1234.5|-", "A2|2025-02-01|7.5|-"])
        #expect(
            texts(semi.issues) == [
                "service_costs.csv:4:amount: invalid number \"1.234,56\" (more than one decimal mark; thousands are separated by spaces)"
            ])
        let comma = try readTable(.serviceCosts, "account_id,date,amount\nA1,2025-02-01,\"1,5\"\nA2,2025-02-01,2\n")
        #expect(
            texts(comma.issues) == [
                "service_costs.csv:2:amount: invalid number \"1,5\" (decimal comma is only accepted in ';' files)"
            ])
        let tab = try readTable(.serviceCosts, "account_id\tdate\tamount\nA1\t2025-02-01\t1,5\n")
        #expect(
            texts(tab.issues) == [
                "service_costs.csv:2:amount: invalid number \"1,5\" (decimal comma is only accepted in ';' files)"
            ])
    }

    @Test("a header without a required column makes every row bad")
    func missingRequiredColumn() throws {
        let data = try readTable(.orders, "order_id,account_id,list_amount,net_amount\nO1,A1,1,1\n\nO2,A1,2,2\n")
        #expect(data.rowCount == 0)
        #expect(data.files[0].header?.missingRequired == ["date"])
        #expect(
            texts(data.issues) == [
                "orders.csv:1: the header lacks the required column \"date\": every row is bad",
                "orders.csv:2:date: missing required value (the header has no \"date\" column)",
                "orders.csv:4:date: missing required value (the header has no \"date\" column)",
            ])
        #expect(data.badRowCount == 2)
        #expect(data.failedFiles.isEmpty)
    }
}
