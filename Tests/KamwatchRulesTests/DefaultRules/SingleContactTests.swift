import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct SingleContactTests {
    private func book(tier: String? = "strategic", contacts: [(since: Day?, until: Day?)]) -> Book {
        var b = TestBook()
        b.account("A", tier: tier)
        for c in contacts { b.contact("A", since: c.since, until: c.until) }
        return b.build()
    }

    @Test(
        "n = 0 is critical, n = 1 warning, n = 2 nothing",
        arguments: [
            (0, Severity?.some(.critical)), (1, .warning), (2, nil),
        ])
    func ladder(n: Int, expected: Severity?) {
        let a = alert("single-contact", book(contacts: Array(repeating: (nil, nil), count: n)))
        #expect(a?.severity == expected)
        if let a { #expect(a[evidence: "n"] == .number(Double(n))) }
    }

    /// Each case: one contact with these dates next to one always-active contact.
    @Test(
        "a contact is active on AT when since <= AT < until",
        arguments: [
            (Day?.some(testAt), Day?.none, true),  // since = AT
            (testAt + 1, nil, false),  // since = AT + 1
            (nil, testAt, false),  // until = AT
            (nil, testAt + 1, true),  // until = AT + 1
            (testAt - 30, testAt - 1, false),
        ])
    func activeOnAT(since: Day?, until: Day?, active: Bool) {
        let a = alert("single-contact", book(contacts: [(nil, nil), (since, until)]))
        #expect((a == nil) == active)
    }

    @Test(
        "scope: strategic and key only",
        arguments: [
            ("strategic", true), ("key", true), ("standard", false), ("vip", false), (nil, false),
        ] as [(String?, Bool)])
    func scope(tier: String?, inScope: Bool) {
        #expect((alert("single-contact", book(tier: tier, contacts: [])) != nil) == inScope)
    }

    @Test func tierIsCaseInsensitive() {
        #expect(alert("single-contact", book(tier: "Key", contacts: []))?.severity == .critical)
    }

    @Test func messagesInBothLanguages() {
        let b = book(contacts: [(nil, nil)])
        #expect(evaluate("single-contact", b, locale: .en).first?.message == "Active contacts at the client: 1.")
        #expect(evaluate("single-contact", b, locale: .ru).first?.message == "Активных контактов у клиента: 1.")
    }
}
