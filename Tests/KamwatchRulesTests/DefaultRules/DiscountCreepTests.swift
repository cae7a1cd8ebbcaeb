import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct DiscountCreepTests {
    /// Orders with list 100 and the given discount (in %), on these days.
    private func book(
        recent: [Int], recentDiscount: Double = 12, baseline: [Int], baselineDiscount: Double = 0,
        list: Double = 100
    ) -> Book {
        var b = TestBook()
        b.account("A")
        for d in recent { b.order("A", testAt - d, list: list, net: list * (100 - recentDiscount) / 100) }
        for d in baseline { b.order("A", testAt - d, list: list, net: list * (100 - baselineDiscount) / 100) }
        return b.build()
    }

    @Test func holdsWithThreeOrdersInEachWindow() {
        let a = alert("discount-creep", book(recent: [1, 2, 3], baseline: [100, 200, 300]))
        #expect(a?.severity == .critical)
        #expect(a?[evidence: "recent_discount"] == .number(12))
        #expect(a?[evidence: "baseline_discount"] == .number(0))
        #expect(a?[evidence: "creep"] == .number(12))
        #expect(a?.message == "Discount rose from 0.0% to 12.0% (+12.0 pp) in the last 90 days.")
    }

    @Test(
        "needs at least 3 orders in each window",
        arguments: [
            ([1, 2], [100, 200, 300]), ([1, 2, 3], [100, 200]),
        ])
    func tooFewOrders(recent: [Int], baseline: [Int]) {
        #expect(alert("discount-creep", book(recent: recent, baseline: baseline)) == nil)
    }

    /// The third recent order on day AT − d: counted in the recent window only when d < 90.
    @Test("recent window is AT − 90 < D <= AT", arguments: [(0, true), (89, true), (90, false), (-1, false)])
    func recentWindowEdge(d: Int, counts: Bool) {
        // With the order at AT − 90 it joins the baseline, which then has 4 orders.
        let a = alert("discount-creep", book(recent: [1, 2, d], baseline: [100, 200, 300]))
        #expect((a != nil) == counts)
    }

    @Test(
        "baseline window is AT − 455 < D <= AT − 90", arguments: [(90, true), (454, true), (455, false), (456, false)])
    func baselineWindowEdge(d: Int, counts: Bool) {
        let a = alert("discount-creep", book(recent: [1, 2, 3], baseline: [100, 200, d]))
        #expect((a != nil) == counts)
    }

    @Test(
        "ladder on creep",
        arguments: [
            (4.9, Severity?.none), (5, .warning), (9.9, .warning), (10, .critical), (25, .critical),
        ])
    func ladder(creep: Double, expected: Severity?) {
        let a = alert(
            "discount-creep",
            book(recent: [1, 2, 3], recentDiscount: 20 + creep, baseline: [100, 200, 300], baselineDiscount: 20))
        #expect(a?.severity == expected)
    }

    @Test func creepOfExactlyFiveWithAwkwardAmounts() {
        // 5 points on amounts whose binary fractions do not cancel.
        let a = alert(
            "discount-creep",
            book(recent: [1, 2, 3], recentDiscount: 15, baseline: [100, 200, 300], baselineDiscount: 10, list: 0.3))
        #expect(a?.severity == .warning)
    }

    @Test func zeroListAmountInAWindowIsNoAlert() {
        #expect(alert("discount-creep", book(recent: [1, 2, 3], baseline: [100, 200, 300], list: 0)) == nil)
    }

    @Test("Σ list_amount = 0 in one window only", arguments: [true, false])
    func zeroListInOneWindow(recentIsZero: Bool) {
        var b = TestBook()
        b.account("A")
        for d in [1, 2, 3] { b.order("A", testAt - d, list: recentIsZero ? 0 : 100, net: recentIsZero ? 0 : 50) }
        for d in [100, 200, 300] { b.order("A", testAt - d, list: recentIsZero ? 100 : 0, net: recentIsZero ? 100 : 0) }
        #expect(alert("discount-creep", b.build()) == nil)
    }
}
