import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct ShippedRulesSmokeTests {
    @Test func allShippedRulesCompile() {
        #expect(
            shippedRules.rules.map(\.id) == [
                "contact-turnover", "cost-over-margin", "discount-creep", "merger-exposure", "no-senior-contact",
                "revenue-concentration", "revenue-decline", "single-contact",
            ])
    }

    @Test func singleContactSmoke() {
        var b = TestBook()
        b.account("A")
        b.contact("A", since: testAt - 10)
        let a = alert("single-contact", b.build())
        #expect(a?.severity == .warning)
        #expect(a?.message == "Active contacts at the client: 1.")
    }
}
