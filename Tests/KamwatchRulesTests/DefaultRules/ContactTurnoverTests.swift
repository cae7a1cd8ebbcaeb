import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct ContactTurnoverTests {
    private func book(_ contacts: [(since: Day?, until: Day?)]) -> Book {
        var b = TestBook()
        b.account("A")
        for c in contacts { b.contact("A", since: c.since, until: c.until) }
        return b.build()
    }

    private let gone = testAt - 10
    private var stayed: (Day?, Day?) { (nil, nil) }

    @Test func allLeftIsCritical() {
        let a = alert("contact-turnover", book([(nil, gone), (nil, gone)]))
        #expect(a?.severity == .critical)
        #expect(a?[evidence: "base"] == .number(2))
        #expect(a?[evidence: "left"] == .number(2))
        #expect(a?[evidence: "ratio"] == .number(1))
    }

    @Test(
        "ladder on ratio",
        arguments: [
            (1, 2, Severity?.some(.warning)), (1, 3, nil), (2, 3, .warning), (2, 4, .warning), (3, 4, .warning),
        ])
    func ladder(left: Int, base: Int, expected: Severity?) {
        let contacts =
            Array(repeating: (Day?.none, Day?.some(gone)), count: left)
            + Array(repeating: (Day?.none, Day?.none), count: base - left)
        #expect(alert("contact-turnover", book(contacts))?.severity == expected)
    }

    @Test("needs a base of at least 2", arguments: [(1, false), (2, true)])
    func baseSize(base: Int, holds: Bool) {
        let contacts = Array(repeating: (Day?.none, Day?.some(gone)), count: base)
        #expect((alert("contact-turnover", book(contacts)) != nil) == holds)
    }

    /// A contact whose `until` is AT − d, next to one who left 10 days ago.
    @Test(
        "left means until in the last 180 days; base means active on AT − 180",
        arguments: [
            (180, Severity?.none),  // not active on AT − 180, so not in the base: base 1
            (179, .critical),  // active on AT − 180, left: 2 of 2
            (0, .critical),  // until = AT: left
            (-1, .warning),  // until = AT + 1: still there, 1 of 2
        ])
    func untilEdges(d: Int, expected: Severity?) {
        #expect(alert("contact-turnover", book([(nil, gone), (nil, testAt - d)]))?.severity == expected)
    }

    @Test("since edges of the base", arguments: [(180, Severity?.some(.critical)), (179, nil)])
    func sinceEdges(d: Int, expected: Severity?) {
        // since = AT − 180 is active on AT − 180; since = AT − 179 is not.
        #expect(alert("contact-turnover", book([(nil, gone), (testAt - d, gone)]))?.severity == expected)
    }
}
