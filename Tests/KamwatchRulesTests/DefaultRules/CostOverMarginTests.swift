import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct CostOverMarginTests {
    private func book(
        net: Double = 1000, cogs: Double? = nil, orderDay: Int = 10, cost: Double?, costDay: Int = 10
    ) -> Book {
        var b = TestBook()
        b.account("A")
        b.order("A", testAt - orderDay, list: net, net: net, cogs: cogs)
        if let cost { b.cost("A", testAt - costDay, cost) }
        return b.build()
    }

    @Test(
        "ladder",
        arguments: [
            (1000.0, 799.0, Severity?.none), (1000, 800, .warning), (1000, 1000, .warning), (1000, 1001, .critical),
            (100, 80, .warning), (100, 79.99, nil), (10, 8, .warning),
        ])
    func ladder(margin: Double, cost: Double, expected: Severity?) {
        let a = alert("cost-over-margin", book(net: margin, cost: cost))
        #expect(a?.severity == expected)
        if let a {
            #expect(a[evidence: "margin"] == .number(margin))
            #expect(a[evidence: "cost"] == .number(cost))
        }
    }

    @Test func marginIsNetMinusCogs() {
        let a = alert("cost-over-margin", book(net: 1000, cogs: 600, cost: 350))
        #expect(a?.severity == .warning)
        #expect(a?[evidence: "margin"] == .number(400))
    }

    @Test(
        "margin <= 0: critical only when cost exceeds it",
        arguments: [
            (0.0, 0.0, Severity?.none), (0, 1, .critical), (-10, 0, .critical), (-10, -20, nil),
        ])
    func nonPositiveMargin(margin: Double, cost: Double, expected: Severity?) {
        #expect(alert("cost-over-margin", book(net: margin, cost: cost))?.severity == expected)
    }

    @Test("365-day window edges", arguments: [(364, true), (365, false), (-1, false)])
    func windowEdge(d: Int, counts: Bool) {
        // The cost alone, on day AT − d, against no margin in the window.
        let a = alert("cost-over-margin", book(orderDay: 400, cost: 5, costDay: d))
        #expect((a?.severity == .critical) == counts)
    }

    @Test func noOrderAndNoCostInTheWindowIsNoAlert() {
        #expect(alert("cost-over-margin", book(net: -5, orderDay: 365, cost: nil)) == nil)
        #expect(alert("cost-over-margin", book(net: -5, orderDay: 364, cost: nil))?.severity == .critical)
    }

    @Test func message() {
        let a = alert("cost-over-margin", book(net: 12000, cost: 15500.4))
        #expect(a?.message == "Cost to serve 15,500 against a margin of 12,000 over the last 365 days.")
        let ru = evaluate("cost-over-margin", book(net: 12000, cost: 15500.4), locale: .ru).first
        #expect(ru?.message == "Затраты на обслуживание 15\u{00A0}500 при марже 12\u{00A0}000 за последние 365 дней.")
    }
}
