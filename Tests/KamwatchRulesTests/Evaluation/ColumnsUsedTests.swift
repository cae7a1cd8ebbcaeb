import Foundation
import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite("Columns the rules read")
struct ColumnsUsedTests {
    func columns(_ letBody: String, scope: String = "true") throws -> [TableName: Set<String>] {
        let text = """
            version: 1
            id: probe
            title: Probe
            scope: \(scope)
            let:
              v: |
                \(letBody)
            severity: warning
            evidence:
              v: v
            message: "{v}"
            """
        let rule = try RuleSet.compile(file: "probe.yaml", text: text).get()
        return RuleSet(rules: [rule]).columnsUsed.text
    }

    @Test("row fields in values and filters, active_on's dates, a table's date column, account fields")
    func collected() throws {
        let used = try columns(
            #"count(contacts where active_on(at) and role matches "head") + sum(amount of service_costs where category == "IT") + count(events where counterparty != null) + count(orders)"#,
            scope: #"account.industry == "Energy""#)
        #expect(used[.contacts] == ["since", "until", "role"])
        #expect(used[.serviceCosts] == ["date", "amount", "category"])
        #expect(used[.events] == ["date", "counterparty"])
        #expect(used[.orders] == ["date"])
        // Alerts carry the account's id, name, owner and lead.
        #expect(used[.accounts] == ["account_id", "name", "owner", "lead", "industry"])
    }

    @Test("a column only a definition used by the message reads is collected too")
    func messageOnlyDefinition() throws {
        let text = """
            version: 1
            id: probe
            title: Probe
            let:
              n: count(contacts)
              who: latest(note of events)
            severity:
              warning: n == 1
            message: "{who}"
            """
        let rule = try RuleSet.compile(file: "probe.yaml", text: text).get()
        #expect(RuleSet(rules: [rule]).columnsUsed.text[.events]?.contains("note") == true)
    }

    @Test("the shipped rules on the example book: the same alerts with only their columns kept")
    func sameAlertsWithFewerColumns() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let examples = url.appendingPathComponent("examples").path
        let at = Day(year: 2026, month: 11, day: 20)!
        let full = try Book.load(directory: examples)
        let selection = shippedRules.columnsUsed
        let kept = try Book.load(directory: examples, keeping: selection)
        #expect(kept.issues.map(\.description) == full.issues.map(\.description))
        let expected = shippedRules.evaluate(book: full.book, at: at, locale: .en)
        #expect(!expected.isEmpty)
        #expect(shippedRules.evaluate(book: kept.book, at: at, locale: .en) == expected)
        // Something was left out: contacts' e-mail addresses are read by no shipped rule.
        let email = TableSchema.contacts.index(of: "email")!
        #expect(full.book.contacts.columns[email].textColumn!.bytes.count > 0)
        #expect(kept.book.contacts.columns[email].textColumn!.bytes.isEmpty)
        #expect(kept.book.contacts.columns[email].count == full.book.contacts.rowCount)
    }
}
