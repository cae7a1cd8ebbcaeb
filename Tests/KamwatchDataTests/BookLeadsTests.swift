import Foundation
import Testing

@testable import KamwatchData

@Suite("The book's leads")
struct BookLeadsTests {
    @Test("every distinct lead once, trimmed; blank cells and spaces alone left out")
    func distinctLeads() throws {
        var accounts = "account_id,name,lead\n"
        // More distinct values than the first table holds, each repeated, spread over the rows.
        let leads =
            (0..<150).map { "lead\($0)@example.com" } + ["  padded@example.com ", "padded@example.com", "Ромашка"]
        for i in 0..<2_000 {
            let lead = i % 7 == 0 ? "" : i % 11 == 0 ? "   " : leads[(i * 31) % leads.count]
            accounts += "A\(i),Name \(i),\(lead)\n"
        }
        let dir = try ScratchDirectory(["accounts.csv": accounts])
        let book = try Book.load(directory: dir.path).book
        var expected = Set<String>()
        for i in 0..<2_000 where i % 7 != 0 && i % 11 != 0 {
            expected.insert(leads[(i * 31) % leads.count].trimmingCharacters(in: .whitespaces))
        }
        #expect(book.leads == expected)
        #expect(book.leads.contains("padded@example.com") && book.leads.contains("Ромашка"))
    }

    @Test("no lead column, or no accounts: no leads")
    func none() throws {
        let dir = try ScratchDirectory(["accounts.csv": "account_id,name\nA1,One\n"])
        #expect(try Book.load(directory: dir.path).book.leads.isEmpty)
        let empty = try ScratchDirectory(["accounts.csv": "account_id,name,lead\n"])
        #expect(try Book.load(directory: empty.path).book.leads.isEmpty)
    }
}
