import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Column selection")
struct ColumnSelectionTests {
    @Test("a selection covers another when it keeps every column the other keeps")
    func covers() {
        let narrow = ColumnSelection(text: [.contacts: ["role"], .accounts: ["name"]])
        let wider = ColumnSelection(text: [.contacts: ["role", "name"], .accounts: ["name"]])
        #expect(wider.covers(narrow))
        #expect(!narrow.covers(wider))
        #expect(ColumnSelection.all.covers(wider))
        // A table a selection does not list keeps every column.
        #expect(!narrow.covers(.all))
        #expect(!narrow.covers(ColumnSelection(text: [.contacts: ["role"]])))
    }

    @Test("numbers, dates and the reader's own columns are always read; other text only when kept")
    func keeps() {
        let s = ColumnSelection(text: [.orders: [], .contacts: ["role"]])
        let orders = TableSchema.orders
        #expect(s.keeps(.orders, slot: orders.index(of: "net_amount")!))
        #expect(s.keeps(.orders, slot: orders.index(of: "date")!))
        #expect(!s.keeps(.orders, slot: orders.index(of: "order_id")!))
        #expect(s.keepsWhileReading(.orders, slot: orders.index(of: "order_id")!))
        #expect(s.keepsWhileReading(.orders, slot: orders.index(of: "account_id")!))
        #expect(s.keeps(.contacts, slot: TableSchema.contacts.index(of: "role")!))
        #expect(!s.keepsWhileReading(.contacts, slot: TableSchema.contacts.index(of: "email")!))
        #expect(s.keeps(.events, slot: TableSchema.events.index(of: "note")!))
    }
}
