import Foundation
import KamwatchData
import KamwatchState
import KamwatchVocabulary
import Testing

/// Applying the history to a book: the rows every rule then sees (SPEC §6 "History").
@Suite("Book with its history")
struct BookHistoryTests {
    /// A book of accounts A and B (B under `parent`) and the contacts given as CSV lines.
    static func book(parent: String, contacts: [String]) throws -> Book {
        let dir = NSTemporaryDirectory() + "kamwatch-history-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "account_id,name,parent_id\nA,Alpha,\nB,Beta,\(parent)\nP,Pi,\n".write(
            toFile: dir + "/accounts.csv", atomically: true, encoding: .utf8)
        try ("contact_id,account_id,since,until\n" + contacts.joined(separator: "\n") + "\n").write(
            toFile: dir + "/contacts.csv", atomically: true, encoding: .utf8)
        return try Book.load(directory: dir).book
    }

    /// Each contact row as `id account since until` (`-` when absent), in table order.
    static func contacts(_ book: Book) -> [String] {
        let t = book.contacts
        let ids = t.column(named: "contact_id")!.textColumn!
        let accounts = t.column(named: "account_id")!.textColumn!
        guard case .date(let since) = t.column(named: "since")!, case .date(let until) = t.column(named: "until")!
        else { return [] }
        func day(_ v: Int32) -> String { v == Column.absentDate ? "-" : Day(ordinal: v).description }
        return (0..<t.rowCount).map { "\(ids[$0]!) \(accounts[$0]!) \(day(since[$0])) \(day(until[$0]))" }
    }

    @Test("ended periods come back with their until; since is the first day seen, except on the first day")
    func contactRows() throws {
        let d1 = Day(iso: "2026-03-01")!
        let days = [
            try Self.book(parent: "", contacts: ["c1,A,,", "c2,A,2020-05-01,", "c3,B,,"]),
            try Self.book(parent: "", contacts: ["c3,B,,"]),
            try Self.book(parent: "", contacts: ["c1,A,,", "c3,B,,", "c4,B,,"]),
        ]
        var history = ContactHistory()
        for (i, book) in days.enumerated() {
            history = history.recording(HistorySnapshot(book: book), on: (d1 + i).description)
        }
        let applied = days[2].applying(history)
        #expect(
            Self.contacts(applied) == [
                "c1 A 2026-03-03 -",  // seen again: a new period
                "c1 A - 2026-03-02",  // its first period, from the first snapshot
                "c2 A 2020-05-01 2026-03-02",  // the file's since, kept from the day it was seen
                "c3 B - -",
                "c4 B 2026-03-03 -",
            ])
        // The same through `applying(_:on:)`, which records the book's own snapshot in memory.
        let twoDays = ContactHistory().recording(HistorySnapshot(book: days[0]), on: "2026-03-01")
            .recording(HistorySnapshot(book: days[1]), on: "2026-03-02")
        #expect(Self.contacts(days[2].applying(twoDays, on: d1 + 2)) == Self.contacts(applied))
    }

    @Test("a parent change is an ownership_change event on the account, dated the day it was first seen")
    func parentChangeEvent() throws {
        let first = try Self.book(parent: "", contacts: [])
        let second = try Self.book(parent: "P", contacts: [])
        let third = try Self.book(parent: "", contacts: [])
        let history = ContactHistory().recording(HistorySnapshot(book: first), on: "2026-03-01")
            .recording(HistorySnapshot(book: second), on: "2026-03-05")
            .recording(HistorySnapshot(book: third), on: "2026-03-09")
        let events = third.applying(history).events
        let b = third.accountIndex(of: "B")!
        let rows = events.rows(ofGroup: b)
        #expect(rows.count == 2)
        guard case .date(let dates) = events.column(named: "date")!,
            let types = events.column(named: "type")?.textColumn,
            let parties = events.column(named: "counterparty")?.textColumn,
            let notes = events.column(named: "note")?.textColumn
        else { return }
        #expect(rows.map { Day(ordinal: dates[$0]).description } == ["2026-03-05", "2026-03-09"])
        #expect(rows.map { types[$0] } == ["ownership_change", "ownership_change"])
        #expect(rows.map { parties[$0] } == ["Pi", "none"])
        #expect(notes[rows.first!] == "parent changed from none to Pi (kamwatch history)")
        #expect(events.rows(ofGroup: third.accountIndex(of: "A")!).isEmpty)
    }

    @Test("a history of one day, or none, leaves the book as it is")
    func nothingToApply() throws {
        let book = try Self.book(parent: "P", contacts: ["c1,A,,"])
        let applied = book.applying(ContactHistory(), on: Day(iso: "2026-03-01")!)
        #expect(Self.contacts(applied) == ["c1 A - -"])
        #expect(applied.events.rowCount == 0)
        let one = ContactHistory().recording(HistorySnapshot(book: book), on: "2026-03-01")
        #expect(book.applying(one).events.rowCount == 0)
    }
}
