import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct MergerExposureTests {
    @Test(
        "event window is AT − 180 < D <= AT",
        arguments: [(0, true), (179, true), (180, false), (181, false), (-1, false)])
    func windowEdge(d: Int, holds: Bool) {
        var b = TestBook()
        b.account("A")
        b.event("A", testAt - d, type: "merger", counterparty: "Globex")
        #expect((alert("merger-exposure", b.build()) != nil) == holds)
    }

    @Test(
        "event types",
        arguments: [
            ("merger", true), ("acquisition", true), ("acquired", true), ("divestiture", true),
            ("ownership_change", true),
            ("Acquired", true), ("partnership", false), ("rebranding", false),
        ])
    func types(type: String, holds: Bool) {
        var b = TestBook()
        b.account("A")
        b.event("A", testAt - 5, type: type)
        #expect((alert("merger-exposure", b.build()) != nil) == holds)
    }

    @Test func evidenceOfTheEvent() {
        var b = TestBook()
        b.account("A")
        b.account("B", tier: "standard")
        b.order("A", testAt - 5, list: 10, net: 10)
        b.order("B", testAt - 5, list: 990, net: 990)
        b.event("A", testAt - 20, type: "acquired", counterparty: "Globex")
        let a = alert("merger-exposure", b.build())
        #expect(a?.severity == .warning)
        #expect(a?[evidence: "event_type"] == .text("acquired"))
        #expect(a?[evidence: "event_date"] == .text((testAt - 20).description))
        #expect(a?[evidence: "counterparty"] == .text("Globex"))
        #expect(a?[evidence: "share"] == .number(0.01))
    }

    @Test func eventOnAncestorsUpTheChain() {
        var b = TestBook()
        b.account("A", parent: "P")
        b.account("P", tier: "standard", parent: "G")
        b.account("G", tier: "standard")
        b.event("G", testAt - 3, type: "merger")
        let alerts = evaluate("merger-exposure", b.build())
        // Only A is in scope; P and G are standard.
        #expect(alerts.map(\.accountID) == ["A"])
        #expect(alerts.first?[evidence: "event_account"] == .text("G"))
    }

    @Test func eventThroughANonAccountParent() {
        var b = TestBook()
        b.account("A", parent: "HOLDING")
        b.event("HOLDING", testAt - 3, type: "ownership_change", counterparty: "Initech")
        let a = alert("merger-exposure", b.build())
        #expect(a?[evidence: "event_account"] == .text("HOLDING"))
        #expect(a?[evidence: "counterparty"] == .text("Initech"))
    }

    @Test func eventOnAChildDoesNotCount() {
        var b = TestBook()
        b.account("A")
        b.account("C", tier: "standard", parent: "A")
        b.event("C", testAt - 3, type: "merger")
        #expect(alert("merger-exposure", b.build()) == nil)
    }

    @Test("share ladder", arguments: [(5.0, Severity.critical), (4.99, .warning), (50, .critical)])
    func share(percent: Double, expected: Severity) {
        var b = TestBook()
        b.account("A")
        b.account("B", tier: "standard")
        b.order("A", testAt - 1, list: percent, net: percent)
        b.order("B", testAt - 1, list: 100 - percent, net: 100 - percent)
        b.event("A", testAt - 1, type: "merger")
        #expect(alert("merger-exposure", b.build())?.severity == expected)
    }

    @Test func shareIsZeroWhenTheBookHasNoRevenue() {
        var b = TestBook()
        b.account("A")
        b.event("A", testAt - 1, type: "merger")
        let a = alert("merger-exposure", b.build())
        #expect(a?.severity == .warning)
        #expect(a?[evidence: "share"] == .number(0))
    }

    @Test func shareUsesTheLast365DaysOfTheWholeBook() {
        var b = TestBook()
        b.account("A")
        b.account("B", tier: "standard")
        b.order("A", testAt - 364, list: 5, net: 5)
        b.order("A", testAt - 365, list: 1000, net: 1000)  // outside
        b.order("B", testAt - 1, list: 95, net: 95)
        b.order("B", testAt + 1, list: 1000, net: 1000)  // after AT
        b.event("A", testAt - 1, type: "merger")
        let a = alert("merger-exposure", b.build())
        #expect(a?[evidence: "share"] == .number(0.05))
        #expect(a?.severity == .critical)
    }
}
