import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Data directory")
struct DataDirectoryTests {
    @Test(
        "file names map to tables",
        arguments: [
            ("accounts.csv", TableName.accounts), ("orders.csv", .orders), ("orders-2026-11.csv", .orders),
            ("orders_old.csv", .orders), ("orders.2025.csv", .orders), ("orders.csv.gz", .orders),
            ("orders-2025.csv.gz", .orders), ("service_costs.csv", .serviceCosts),
            ("service_costs-q1.csv", .serviceCosts), ("events.csv", .events), ("contacts-x.csv", .contacts),
        ])
    func mapped(name: String, table: TableName) {
        #expect(DataDirectory.table(forFileName: name) == table)
    }

    @Test(
        "ignored file names",
        arguments: [
            ".orders.csv", "orders.csv~", "orders.csv.tmp", "orders.csv.part", "orders.csv.swp", "orders.tmp",
            "Orders.csv", "ORDERS.CSV", "orders.CSV", "ordersx.csv", "orders-.csv.bak", "orders", "orders.txt",
            "orders.csv.gz.part", "service.csv", "costs.csv", "orders-", "readme.md", "orders.gz",
        ])
    func ignored(name: String) {
        #expect(DataDirectory.table(forFileName: name) == nil)
    }

    @Test("files of a table are listed in byte order")
    func order() throws {
        let dir = try ScratchDirectory([
            "orders.csv": "", "orders-2025-01.csv": "", "orders_b.csv": "", "orders.2024.csv.gz": "",
            "accounts.csv": "", ".orders-hidden.csv": "", "notes.txt": "", "orders-2025-02.csv.part": "",
        ])
        let tables = try DataDirectory.scan(dir.path)
        #expect(tables[.orders] == ["orders-2025-01.csv", "orders.2024.csv.gz", "orders.csv", "orders_b.csv"])
        #expect(tables[.accounts] == ["accounts.csv"])
        #expect(tables[.contacts] == nil)
    }

    @Test("a missing directory is an error that names it")
    func missing() {
        #expect(throws: DataDirectory.ScanError.self) { try DataDirectory.scan("/nonexistent/kamwatch-data") }
    }

    @Test("loading needs an accounts file")
    func needsAccounts() throws {
        let dir = try ScratchDirectory(["orders.csv": "order_id,account_id,date,list_amount,net_amount\n"])
        do {
            _ = try Book.load(directory: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "\(dir.path): no accounts table (accounts.csv) in the data directory")
        }
    }
}
