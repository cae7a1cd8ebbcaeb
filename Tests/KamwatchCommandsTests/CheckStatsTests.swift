import Foundation
import KamwatchCommands
import KamwatchData
import KamwatchVocabulary
import Testing

@Suite struct CheckStatsTests {
    @Test func linesHaveTheStableFormat() throws {
        let book = try Book.load(directory: Repository.path("examples")).book
        let stats = CheckStats(
            book: book, bytes: 2_500_000, read: .milliseconds(1500), evaluate: .microseconds(12_345),
            total: .seconds(2), peakMB: 42)
        let rows = TableName.allCases.map { book.table($0).rowCount }
        let total = rows.reduce(0, +)
        #expect(rows.allSatisfy { $0 > 0 })
        let perTable = zip(TableName.allCases, rows).map { "\($0.rawValue) \($1)" }.joined(separator: ", ")
        #expect(perTable.hasPrefix("accounts 52, contacts "))
        let rowsPerSecond = String(format: "%.1f", Double(total) / 1.5 / 1_000_000)
        #expect(
            stats.lines
                == "stats: rows \(perTable)\n"
                + "stats: read 1.500 s, evaluate 0.012 s, total 2.000 s, 2.5 MB, \(total) rows, 1.7 MB/s, "
                + "\(rowsPerSecond)M rows/s, peak RSS 42 MB\n")
    }

    @Test func aZeroReadTimeGivesZeroRates() throws {
        let book = try Book.load(directory: Repository.path("examples")).book
        let stats = CheckStats(book: book, bytes: 1_000, read: .zero, evaluate: .zero, total: .zero, peakMB: 1)
        #expect(stats.lines.hasSuffix(" rows, 0.0 MB/s, 0.0M rows/s, peak RSS 1 MB\n"))
        #expect(stats.lines.contains("stats: read 0.000 s, evaluate 0.000 s, total 0.000 s, 0.0 MB, "))
    }

    @Test func bytesReadCountsTheDataFilesAsStored() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("accounts.csv", "account_id\nA-1\n")
        try dir.write("notes.txt", "not data")
        #expect(CheckStats.bytesRead(dir.path) == 15)
        #expect(CheckStats.bytesRead(dir.path + "/missing") == 0)
    }

    @Test func bytesReadCountsTheFilesASourcesFileReads() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("COMPANY_1.csv", "ID;Name\n1;A\n")
        try dir.write("accounts.csv", "account_id\nA-1\n")
        try dir.write(
            "sources.yaml",
            """
            version: 1
            tables:
              accounts:
                files: ["COMPANY_*.csv"]
                delimiter: ";"
                columns:
                  account_id: ID
                  name: Name
            """)
        let plan = try SourcesRun.plan(dir.path + "/sources.yaml")
        // The export's 12 bytes, not accounts.csv (the sources file reads accounts from COMPANY_*).
        #expect(CheckStats.bytesRead(dir.path, sources: plan) == 12)
        #expect(CheckStats.bytesRead(dir.path) == 15)
    }

    @Test func peakMemoryIsReported() {
        #expect(CheckStats.peakResidentMB() > 0)
    }
}
