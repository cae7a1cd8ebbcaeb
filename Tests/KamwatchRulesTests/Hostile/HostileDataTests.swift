import Foundation
import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// Data that once gave a wrong alert or took quadratic time.
@Suite struct HostileDataTests {
    @Test func aCostBeyondTheDoubleRangeIsReportedAndRaisesNoAlert() throws {
        let dir = NSTemporaryDirectory() + "kamwatch-hostile-data-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let day = (testAt - 10).description
        let huge = String(repeating: "9", count: 310)
        let files = [
            "accounts.csv": "account_id,name,tier\nA,Alpha,strategic\n",
            "orders.csv": "order_id,account_id,date,list_amount,net_amount\no1,A,\(day),1000,1000\n",
            "service_costs.csv": "account_id,date,amount\nA,\(day),\(huge)\n",
        ]
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let (book, issues) = try Book.load(directory: dir)
        #expect(issues.map(\.reason) == ["invalid number \"\(huge.prefix(57))...\" (too large: beyond about 1.8e308)"])
        #expect(evaluate("cost-over-margin", book).isEmpty)
    }

    @Test func aParentChainDeeperThanTheLimitIsCutAndReported() throws {
        var b = TestBook()
        let n = 5_000
        for i in 0..<n { b.account("a\(i)", parent: i + 1 < n ? "a\(i + 1)" : nil) }
        b.order("a\(n - 1)", testAt - 1, list: 10, net: 10)
        b.order("a\(Book.maxAncestorDepth)", testAt - 1, list: 10, net: 10)
        let (book, issues) = b.assembled()
        #expect(
            issues.map(\.description) == [
                "accounts.csv:4900:parent_id: parent_id chain of a4898 is deeper than 100 levels: ancestors above the 100th are not followed"
            ])
        #expect(book.ancestors(of: 0).count == Book.maxAncestorDepth)
        let rule = try RuleSet.compile(
            file: "chain.yaml",
            text: """
                version: 1
                id: chain
                title: Chain
                when: count(lineage.orders) > 0
                severity: warning
                message: x
                """
        ).get()
        let alerts = RuleSet(rules: [rule]).evaluate(book: book, at: testAt, locale: .en)
        // a0 sees a1…a100 (a100 has an order); a4999's order is seen by the 100 below it and itself.
        #expect(alerts.count == Book.maxAncestorDepth + 1 + Book.maxAncestorDepth + 1)
    }
}
