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
}
