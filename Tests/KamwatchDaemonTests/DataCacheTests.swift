import Foundation
import KamwatchData
import KamwatchRules
import KamwatchTestSupport
import KamwatchVocabulary
import Logging
import Testing

@testable import KamwatchDaemon

/// With a sources file, a changed file re-reads only the tables it feeds.
@Suite("Data cache")
struct DataCacheTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static let sources = """
        version: 1
        tables:
          accounts:
            files: ["COMPANY*.csv"]
            columns: {account_id: ID, name: Name}
          orders:
            files: ["DEAL*.csv"]
            columns: {order_id: ID, account_id: Company, date: Closed, net_amount: Amount, list_amount: Amount}
          contacts:
            files: ["PEOPLE.csv"]
            columns: {contact_id: ID, account_id: Company}
        """

    @Test("a changed file: the tables it feeds; a new or removed file: the tables whose files changed")
    func tablesFedByAChangedFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("COMPANY.csv", "ID,Name\nA1,One\n")
        try dir.write("DEAL-1.csv", "ID,Company,Closed,Amount\nO1,A1,2025-01-01,5\n")
        try dir.write("PEOPLE.csv", "ID,Company\nc1,A1\n")
        let plan = try SourcesFile.parse(file: "s.yaml", text: Self.sources, presets: nil)
        var cache = DataCache(directory: dir.path, sources: plan)
        _ = cache.reload(Set(TableName.allCases), logger: logger)
        #expect(cache.book(logger: logger).contacts.rowCount == 1)

        #expect(cache.tables(of: DataChange(tables: [.accounts], files: ["PEOPLE.csv"])) == [.contacts])
        #expect(cache.tables(of: DataChange(tables: [.accounts], files: ["DEAL-1.csv"])) == [.orders])
        #expect(cache.tables(of: DataChange(tables: [.accounts], files: ["notes.txt"])) == [])
        try dir.write("DEAL-2.csv", "ID,Company,Closed,Amount\nO2,A1,2025-02-01,7\n")
        #expect(cache.tables(of: DataChange(tables: [.accounts], files: ["DEAL-2.csv"])) == [.orders])
        #expect(cache.tables(of: DataChange(rescan: true)) == Set(TableName.allCases))

        _ = cache.reload([.orders], logger: logger)
        let book = cache.book(logger: logger)
        #expect(book.orders.rowCount == 2)
        #expect(book.contacts.rowCount == 1)
    }

    /// A data directory of SPEC §1's own layout: accounts A1, A2; one order for A3 (no account yet).
    static func ownLayout() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        try dir.write("accounts.csv", "account_id,name,parent_id\nA1,One,\nA2,Two,A1\n")
        try dir.write("contacts.csv", "contact_id,account_id\nc1,A1\nc2,A2\n")
        try dir.write(
            "orders.csv",
            "order_id,account_id,date,list_amount,net_amount\nO1,A1,2025-01-01,5,5\nO3,A3,2025-01-02,7,7\n")
        return dir
    }

    @Test("a contacts change is grouped into the book alone; an accounts change reads every table again")
    func contactsAloneAccountsWhole() throws {
        let dir = try Self.ownLayout()
        defer { dir.remove() }
        var cache = DataCache(directory: dir.path)
        #expect(cache.reload(Set(TableName.allCases), logger: logger) == nil)
        #expect(cache.renewed == Set(TableName.allCases))
        var book = cache.book(logger: logger)
        #expect(cache.renewed.isEmpty)
        #expect(book.accountCount == 2 && book.contacts.rowCount == 2 && book.orders.rowCount == 1)

        try dir.write("contacts.csv", "contact_id,account_id\nc1,A1\n")
        #expect(cache.reload([.contacts], logger: logger) == nil)
        #expect(cache.renewed == [.contacts])
        book = cache.book(logger: logger)
        #expect(book.contacts.rowCount == 1 && book.orders.rowCount == 1)

        // A3 appears: its order, in the file all along, is grouped under it.
        try dir.write("accounts.csv", "account_id,name,parent_id\nA1,One,\nA2,Two,A1\nA3,Three,\n")
        #expect(cache.reload([.accounts], logger: logger) == nil)
        #expect(cache.renewed == Set(TableName.allCases))
        book = cache.book(logger: logger)
        #expect(book.accountCount == 3 && book.contacts.rowCount == 1)
        #expect(book.orders.rowCount == 2)
        #expect(book.orders.rows(ofGroup: 2).count == 1)
    }

    @Test("an accounts change while another table cannot be read waits for it; that table keeps its rows")
    func accountsWaitForAnUnreadableTable() throws {
        let dir = try Self.ownLayout()
        defer { dir.remove() }
        var cache = DataCache(directory: dir.path)
        _ = cache.reload(Set(TableName.allCases), logger: logger)
        _ = cache.book(logger: logger)

        try dir.write("orders.csv", "")  // no header: cannot be read
        try dir.write("accounts.csv", "account_id,name,parent_id\nA1,One,\nA2,Two,A1\nA3,Three,\n")
        try dir.write("contacts.csv", "contact_id,account_id\nc1,A1\n")
        #expect(cache.reload([.accounts, .contacts], logger: logger) != nil)
        #expect(cache.renewed == [.contacts])
        var book = cache.book(logger: logger)
        #expect(book.accountCount == 2 && book.orders.rowCount == 1 && book.contacts.rowCount == 1)

        // The orders can be read again: the accounts waiting are read with them.
        try dir.write(
            "orders.csv",
            "order_id,account_id,date,list_amount,net_amount\nO1,A1,2025-01-01,5,5\nO3,A3,2025-01-02,7,7\n")
        #expect(cache.reload([.orders], logger: logger) == nil)
        #expect(cache.renewed == Set(TableName.allCases))
        book = cache.book(logger: logger)
        #expect(book.accountCount == 3 && book.orders.rowCount == 2 && book.contacts.rowCount == 1)
    }

    @Test("accounts gone keep the last good book; the other tables change on their own")
    func accountsGone() throws {
        let dir = try Self.ownLayout()
        defer { dir.remove() }
        var cache = DataCache(directory: dir.path)
        _ = cache.reload(Set(TableName.allCases), logger: logger)
        _ = cache.book(logger: logger)
        try FileManager.default.removeItem(atPath: dir.path + "/accounts.csv")
        try dir.write("contacts.csv", "contact_id,account_id\nc1,A1\n")
        #expect(cache.reload([.accounts, .contacts], logger: logger) != nil)
        #expect(cache.hasAccounts)
        let book = cache.book(logger: logger)
        #expect(book.accountCount == 2 && book.contacts.rowCount == 1 && book.orders.rowCount == 1)
    }

    @Test("before any accounts, a table read keeps its rows when its file then cannot be read")
    func beforeAccounts() throws {
        let dir = try Self.ownLayout()
        defer { dir.remove() }
        let accounts = try String(contentsOfFile: dir.path + "/accounts.csv", encoding: .utf8)
        try FileManager.default.removeItem(atPath: dir.path + "/accounts.csv")
        var cache = DataCache(directory: dir.path)
        #expect(cache.reload(Set(TableName.allCases), logger: logger) != nil)
        #expect(!cache.hasAccounts)
        try dir.write("contacts.csv", "")  // no header: cannot be read
        try dir.write("accounts.csv", accounts)
        #expect(cache.reload([.accounts, .contacts], logger: logger) != nil)
        #expect(cache.hasAccounts)
        let book = cache.book(logger: logger)
        #expect(book.accountCount == 2 && book.contacts.rowCount == 2 && book.orders.rowCount == 1)
    }
}
