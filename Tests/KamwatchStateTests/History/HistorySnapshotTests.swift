import Foundation
import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchState

/// The flat snapshot says what the dictionaries of `String`s it replaces said, and compares
/// two snapshots as comparing those dictionaries would.
@Suite("History snapshot")
struct HistorySnapshotTests {
    typealias Generator = HistoryMemoryTests.Generator

    /// A book of random accounts (some parents, some unknown) and contacts (some ids repeated,
    /// some naming no account, ids sharing long prefixes, a few not ASCII).
    static func randomBook(_ g: inout Generator) throws -> Book {
        let dir = NSTemporaryDirectory() + "kamwatch-snapshot-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let accounts = Int.random(in: 1..<40, using: &g)
        var text = "account_id,name,parent_id\n"
        for a in 0..<accounts {
            let parent =
                switch Int.random(in: 0..<4, using: &g) {
                case 0: "ACCOUNT-\(Int.random(in: 0..<accounts, using: &g))"
                case 1: "OUTSIDE-\(Int.random(in: 0..<3, using: &g))"
                default: ""
                }
            let name = Int.random(in: 0..<5, using: &g) == 0 ? "" : "Name \(a)"
            text += "ACCOUNT-\(a),\(name),\(parent)\n"
        }
        try text.write(toFile: dir + "/accounts.csv", atomically: true, encoding: .utf8)
        text = "contact_id,account_id,since\n"
        for _ in 0..<Int.random(in: 0..<200, using: &g) {
            let c = Int.random(in: 0..<150, using: &g)
            let id = ["c\(c)", "contact-person-\(c)", "контакт-\(c)"][Int.random(in: 0..<3, using: &g)]
            let account = "ACCOUNT-\(Int.random(in: 0..<(accounts + 3), using: &g))"
            let since = Int.random(in: 0..<3, using: &g) == 0 ? "2025-0\(c % 9 + 1)-1\(c % 10)" : ""
            text += "\(id),\(account),\(since)\n"
        }
        try text.write(toFile: dir + "/contacts.csv", atomically: true, encoding: .utf8)
        return try Book.load(directory: dir).book
    }

    /// The contacts as the snapshot kept them before: a dictionary filled in account order.
    static func dictionaryContacts(_ book: Book) -> [String: HistorySnapshot.Contact] {
        let ids = book.accounts.column(named: "account_id")!.textColumn!
        let table = book.contacts
        let contactIDs = table.column(named: "contact_id")!.textColumn!
        guard case .date(let since) = table.column(named: "since")! else { return [:] }
        var out: [String: HistorySnapshot.Contact] = [:]
        for a in 0..<book.accountCount {
            guard let accountID = ids[a] else { continue }
            for r in table.rows(ofGroup: a) {
                guard let id = contactIDs[r] else { continue }
                let day = since[r] == Column.absentDate ? nil : Day(ordinal: since[r]).description
                out[id] = HistorySnapshot.Contact(accountID: accountID, since: day)
            }
        }
        return out
    }

    /// The parents as the snapshot kept them before.
    static func dictionaryParents(_ book: Book) -> [String: HistorySnapshot.Parent] {
        let ids = book.accounts.column(named: "account_id")!.textColumn!
        let names = book.accounts.column(named: "name")!.textColumn!
        let parentIDs = book.accounts.column(named: "parent_id")!.textColumn!
        var out: [String: HistorySnapshot.Parent] = [:]
        for a in 0..<book.accountCount {
            guard let id = ids[a] else { continue }
            let parentID = parentIDs[a]
            var parentName = parentID
            if let parentID, let p = book.accountIndex(of: parentID) { parentName = names[p] ?? parentID }
            out[id] = HistorySnapshot.Parent(parentID: parentID, parentName: parentName)
        }
        return out
    }

    static func dictionary<V>(_ entries: some Sequence<(key: String, value: V)>) -> [String: V] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { _, _ in preconditionFailure("repeated") })
    }

    /// The ids whose entry differs between two dictionaries.
    static func changed<V: Equatable>(_ a: [String: V], _ b: [String: V]) -> Set<String> {
        Set(a.keys.filter { a[$0] != b[$0] } + b.keys.filter { a[$0] == nil })
    }

    @Test("a book's snapshot: the same entries as the dictionaries, sorted by bytes", arguments: 1...20)
    func sameAsDictionaries(seed: Int) throws {
        var g = Generator(state: UInt64(seed))
        let book = try Self.randomBook(&g)
        let snapshot = HistorySnapshot(book: book)
        let contacts = Self.dictionaryContacts(book)
        let parents = Self.dictionaryParents(book)
        #expect(Self.dictionary(snapshot.contacts) == contacts)
        #expect(Self.dictionary(snapshot.parents) == parents)
        #expect(snapshot.contacts.count == contacts.count && snapshot.parents.count == parents.count)
        let keys = Array(snapshot.contacts.keys)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for (id, contact) in contacts { #expect(snapshot.contacts[id] == contact) }
        for (id, parent) in parents { #expect(snapshot.parents[id] == parent) }
        #expect(snapshot.contacts["nobody"] == nil && snapshot.parents["nobody"] == nil)
        // Built from the dictionaries: the same snapshot.
        #expect(HistorySnapshot(contacts: contacts, parents: parents) == snapshot)
    }

    @Test("a book's snapshot keeps the book's id columns, not copies of them")
    func sharesTheBooksColumns() throws {
        var g = Generator(state: 7)
        let book = try Self.randomBook(&g)
        let snapshot = HistorySnapshot(book: book)
        func base(_ bytes: [UInt8]) -> UnsafeRawPointer? { bytes.withUnsafeBytes { $0.baseAddress } }
        let contactIDs = book.contacts.column(named: "contact_id")!.textColumn!
        let accountIDs = book.accounts.column(named: "account_id")!.textColumn!
        #expect(!snapshot.contacts.isEmpty && !snapshot.parents.isEmpty)
        #expect(base(snapshot.contacts.ids.bytes) == base(contactIDs.bytes))
        #expect(base(snapshot.parents.ids.bytes) == base(accountIDs.bytes))
        // The same entries as a snapshot with its own copies.
        #expect(
            HistorySnapshot(contacts: Self.dictionaryContacts(book), parents: Self.dictionaryParents(book)) == snapshot)
    }

    @Test("two snapshots: the changed ids are those the dictionaries differ by", arguments: 1...20)
    func changedIDs(seed: Int) throws {
        var g = Generator(state: UInt64(seed) + 100)
        let a = HistorySnapshot(book: try Self.randomBook(&g))
        let b = HistorySnapshot(book: try Self.randomBook(&g))
        let ca = Self.dictionary(a.contacts)
        let cb = Self.dictionary(b.contacts)
        let contacts = b.contacts.changedIDs(from: a.contacts)
        #expect(Set(contacts) == Self.changed(ca, cb))
        #expect(Set(contacts).count == contacts.count)
        #expect(
            Set(b.parents.changedIDs(from: a.parents))
                == Self.changed(Self.dictionary(a.parents), Self.dictionary(b.parents)))
        #expect((a == b) == (ca == cb && Self.dictionary(a.parents) == Self.dictionary(b.parents)))
        #expect(a.contacts.changedIDs(from: a.contacts).isEmpty)
    }
}
