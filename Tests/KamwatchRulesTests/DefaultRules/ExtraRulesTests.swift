import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct RevenueConcentrationTests {
    @Test(
        "ladder on the share of the book",
        arguments: [
            (9.99, Severity?.none), (10, .warning), (19.99, .warning), (20, .critical),
        ])
    func ladder(percent: Double, expected: Severity?) {
        var b = TestBook()
        b.account("A", tier: "standard")
        b.account("B", tier: "standard")
        b.order("A", testAt - 364, list: percent, net: percent)
        b.order("B", testAt, list: 100 - percent, net: 100 - percent)
        let a = alert("revenue-concentration", b.build())
        #expect(a?.severity == expected)
        if let a { #expect(a[evidence: "book_revenue"] == .number(100)) }
    }

    @Test func allTiers() {
        var b = TestBook()
        b.account("A", tier: nil)
        b.order("A", testAt, list: 1, net: 1)
        #expect(alert("revenue-concentration", b.build())?.severity == .critical)
    }
}

@Suite struct RevenueDeclineTests {
    private func book(
        recent: Double, yearAgoDays: [Int] = [370, 400, 450], yearAgoEach: Double = 100, tier: String = "key"
    ) -> Book {
        var b = TestBook()
        b.account("A", tier: tier)
        if recent != 0 { b.order("A", testAt - 10, list: recent, net: recent) }
        for d in yearAgoDays { b.order("A", testAt - d, list: yearAgoEach, net: yearAgoEach) }
        return b.build()
    }

    @Test(
        "ladder on recent / year-ago",
        arguments: [
            (150.0, Severity?.none), (149.99, .warning), (75, .warning), (74.99, .critical), (0, .critical),
        ])
    func ladder(recent: Double, expected: Severity?) {
        #expect(alert("revenue-decline", book(recent: recent))?.severity == expected)
    }

    @Test("needs 3 orders a year earlier", arguments: [([370, 400], false), ([370, 400, 450], true)])
    func orderCount(days: [Int], holds: Bool) {
        #expect((alert("revenue-decline", book(recent: 0, yearAgoDays: days)) != nil) == holds)
    }

    @Test(
        "year-ago window is AT − 455 < D <= AT − 365",
        arguments: [(365, true), (454, true), (455, false), (364, false)])
    func windowEdge(d: Int, counts: Bool) {
        #expect((alert("revenue-decline", book(recent: 0, yearAgoDays: [370, 400, d])) != nil) == counts)
    }

    @Test func recentWindowEdge() {
        var b = TestBook()
        b.account("A")
        for d in [370, 400, 450] { b.order("A", testAt - d, list: 100, net: 100) }
        b.order("A", testAt - 90, list: 300, net: 300)  // not in the last 90 days
        #expect(alert("revenue-decline", b.build())?.severity == .critical)
        b.order("A", testAt - 89, list: 300, net: 300)
        #expect(alert("revenue-decline", b.build()) == nil)
    }

    @Test func standardTierIsOutOfScope() {
        #expect(alert("revenue-decline", book(recent: 0, tier: "standard")) == nil)
    }
}

@Suite struct NoSeniorContactTests {
    private func book(_ roles: [(String?, until: Day?)], tier: String = "strategic") -> Book {
        var b = TestBook()
        b.account("A", tier: tier)
        for r in roles { b.contact("A", until: r.until, role: r.0) }
        return b.build()
    }

    @Test(
        "senior roles",
        arguments: [
            ("Head of Procurement", true), ("Managing Director", true), ("CEO", true), ("cfo", true),
            ("Chief Operating Officer", true), ("Co-owner", true), ("Генеральный директор", true),
            ("РУКОВОДИТЕЛЬ отдела закупок", true), ("Владелец", true), ("Purchasing manager", false),
            ("Менеджер по закупкам", false),
        ])
    func roles(role: String, senior: Bool) {
        let a = alert("no-senior-contact", book([(role, nil), ("Buyer", nil)]))
        #expect((a == nil) == senior)
    }

    @Test func aSeniorContactWhoLeftDoesNotCount() {
        let a = alert("no-senior-contact", book([("CEO", testAt), ("Buyer", nil)]))
        #expect(a?.severity == .warning)
        #expect(a?[evidence: "active_contacts"] == .number(1))
    }

    @Test func onlyStrategicAccounts() {
        #expect(alert("no-senior-contact", book([("Buyer", nil)], tier: "key")) == nil)
        #expect(alert("no-senior-contact", book([], tier: "strategic"))?.severity == .warning)
    }
}
