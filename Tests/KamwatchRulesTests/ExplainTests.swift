import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct ExplainTests {
    @Test func showsDefinitionsAndTheAlert() throws {
        var b = TestBook()
        b.account("A", tier: "key")
        b.contact("A")
        b.order("A", testAt - 1, list: 100, net: 100)
        let book = b.build()
        let explained = try #require(shippedRules.explain(book: book, at: testAt, accountID: "A", locale: .en))
        #expect(explained.map(\.rule) == shippedRules.rules.map(\.id))
        let single = try #require(explained.first { $0.rule == "single-contact" })
        #expect(single.inScope && single.holds)
        #expect(single.definitions.map(\.name) == ["n"])
        #expect(single.definitions.first?.value == .number(1))
        #expect(single.alert?.severity == .warning)
        let senior = try #require(explained.first { $0.rule == "no-senior-contact" })
        #expect(!senior.inScope && senior.definitions.isEmpty && senior.alert == nil)
        let creep = try #require(explained.first { $0.rule == "discount-creep" })
        #expect(creep.inScope && !creep.holds)
        #expect(creep.definitions.first { $0.name == "recent_orders" }?.value == .number(1))
        #expect(creep.definitions.first { $0.name == "recent" }?.value == .number(0))
        #expect(creep.definitions.first { $0.name == "baseline" }?.value == .null)
        #expect(shippedRules.explain(book: book, at: testAt, accountID: "nobody", locale: .en) == nil)
    }

    @Test func explanationAgreesWithEvaluation() throws {
        var b = TestBook()
        b.account("A", tier: "strategic")
        b.account("B", tier: "standard")
        b.order("A", testAt - 1, list: 100, net: 100)
        b.order("B", testAt - 1, list: 100, net: 100)
        b.event("A", testAt - 1, type: "merger")
        let book = b.build()
        let alerts = shippedRules.evaluate(book: book, at: testAt, locale: .ru).filter { $0.accountID == "A" }
        let explained = try #require(shippedRules.explain(book: book, at: testAt, accountID: "A", locale: .ru))
        #expect(explained.compactMap(\.alert) == alerts)
    }
}
