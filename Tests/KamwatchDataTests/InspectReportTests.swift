import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Inspecting a file")
struct InspectReportTests {
    @Test("the report shows dialect, header mapping, counts and bad rows (golden)")
    func report() throws {
        let dir = try ScratchDirectory()
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array(
            ("Order_ID;Client;Date;List_Amount;net_amount;net_amount\n"
                + "O1;Рога;01.02.2025;1 000,50;900;x\n"
                + "O2;;2025-02-30;1;1;\n"
                + "O1;;2025-02-01;1;1;\n"
                + "\n").utf8)
        try dir.write("orders-feb.csv", bytes: bytes)
        let path = dir.path + "/orders-feb.csv"
        let report = try InspectReport.inspect(path: path)
        #expect(report.readable)
        #expect(
            report.text == """
                \(path)
                  table       orders (from the file name)
                  compression none
                  encoding    UTF-8 with BOM
                  delimiter   ';' (decimal mark '.' or ',')
                  header      6 columns
                      1  "Order_ID"    → order_id
                      2  "Client"      ignored (not a column of orders)
                      3  "Date"        → date
                      4  "List_Amount" → list_amount
                      5  "net_amount"  → net_amount
                      6  "net_amount"  ignored (repeats column "net_amount")
                  missing     account_id (required: every row is bad)
                  absent      cogs (optional)
                  rows        0 good, 3 bad
                bad rows:
                \(path):2:account_id: missing required value (the header has no "account_id" column)
                \(path):3:Date: invalid date "2025-02-30" (no such date)
                \(path):4:account_id: missing required value (the header has no "account_id" column)

                """)
    }

    @Test("rows as JSON lines: known columns typed, other cells as strings, empty as null")
    func jsonRows() throws {
        let dir = try ScratchDirectory([
            "costs.csv": "Account_ID,date,amount,note,category\n"
                + "A1,2025-01-02T10:00,1 000.5,\"say \"\"hi\"\"\",travel\n"
                + "A2,bad,1,,\n"
                + "A3,03.01.2025,-7,\"two\nlines\",\n"
        ])
        let report = try InspectReport.inspect(path: dir.path + "/costs.csv", table: .serviceCosts)
        var lines: [String] = []
        report.jsonRows { lines.append($0) }
        #expect(
            lines == [
                #"{"Account_ID":"A1","date":"2025-01-02","amount":1000.5,"note":"say \"hi\"","category":"travel"}"#,
                #"{"Account_ID":"A3","date":"2025-01-03","amount":-7,"note":"two\nlines","category":null}"#,
            ])
        #expect(report.text.contains("  table       service_costs (from --table)\n"))
        #expect(report.text.contains("  rows        2 good, 1 bad\n"))
    }

    @Test("an unreadable file says why")
    func unreadable() throws {
        let dir = try ScratchDirectory()
        try dir.copyFixture("orders-truncated.csv.gz", as: "orders.csv.gz")
        let report = try InspectReport.inspect(path: dir.path + "/orders.csv.gz")
        #expect(!report.readable)
        #expect(
            report.text == """
                \(dir.path)/orders.csv.gz
                  table       orders (from the file name)
                  compression gzip
                error: corrupt gzip data: the file is truncated

                """)
    }

    @Test("a file name that names no table needs --table")
    func unknownTable() {
        #expect(throws: InspectReport.UsageError.self) { try InspectReport.inspect(path: "/tmp/export.csv") }
        do {
            _ = try InspectReport.inspect(path: "/tmp/export.csv")
        } catch {
            #expect(
                error.description
                    == "cannot tell the table from the file name \"export.csv\"; pass --table with one of accounts, contacts, orders, service_costs, events"
            )
        }
    }
}
