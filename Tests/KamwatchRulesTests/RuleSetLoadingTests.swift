import Foundation
import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct RuleSetLoadingTests {
    /// A fresh copy of the shipped rules in a temporary directory, removed by `body`'s caller.
    private func withRulesCopy(_ body: (String) throws -> Void) throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("kamwatch-rules-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        for name in try fm.contentsOfDirectory(atPath: shippedRulesDirectory) {
            try fm.copyItem(atPath: shippedRulesDirectory + "/" + name, toPath: dir + "/" + name)
        }
        try body(dir)
    }

    static let userRule = """
        version: 1
        id: big-spender-gone-quiet
        title:
          en: A big spender went quiet
          ru: Крупный клиент затих
        scope: account.tier != "strategic"
        let:
          last_year: sum(net_amount of orders between at - 365d and at - 60d)
          recent: count(orders last 60d)
        when: last_year >= 1000 and recent == 0
        severity:
          critical: last_year >= 10000
          warning: true
        evidence:
          last_year: last_year
        message:
          en: "No orders for 60 days after {last_year:,.0} the year before."
          ru: "Нет заказов 60 дней после {last_year:,.0} за год до этого."

        """

    @Test func aUserRuleDroppedIntoTheRulesDirectoryIsEvaluated() throws {
        try withRulesCopy { dir in
            try Self.userRule.write(toFile: dir + "/90-big-spender.yaml", atomically: true, encoding: .utf8)
            let set = try RuleSet.load(directory: dir)
            #expect(set.rules.count == 9)
            let rule = try #require(set.rule(id: "big-spender-gone-quiet"))
            #expect(rule.messageID.count == 32)
            #expect(rule.messageID == RuleFileParser.derivedMessageID(for: "big-spender-gone-quiet"))
            #expect(rule.title[.ru] == "Крупный клиент затих")

            var b = TestBook()
            b.account("A", tier: "standard")
            b.order("A", testAt - 100, list: 12000, net: 12000)
            b.account("S", tier: "strategic")
            b.order("S", testAt - 100, list: 12000, net: 12000)
            let alerts = set.evaluate(book: b.build(), at: testAt, locale: .ru).filter {
                $0.rule == "big-spender-gone-quiet"
            }
            #expect(alerts.map(\.accountID) == ["A"])
            #expect(alerts.first?.severity == .critical)
            #expect(alerts.first?.message == "Нет заказов 60 дней после 12\u{00A0}000 за год до этого.")
        }
    }

    @Test func errorsOfAllFilesAndDuplicateIdsAreCollected() throws {
        try withRulesCopy { dir in
            try "version: 1\nid: single-contact\ntitle: Again\nseverity: warning\nmessage: x\n"
                .write(toFile: dir + "/zz-duplicate.yaml", atomically: true, encoding: .utf8)
            try "version: 1\nid: broken\ntitle: Broken\nseverity:\n  warning: nope > 1\nmessage: x\n"
                .write(toFile: dir + "/aa-broken.yml", atomically: true, encoding: .utf8)
            try "not a rule".write(toFile: dir + "/notes.txt", atomically: true, encoding: .utf8)
            try "version: 1".write(toFile: dir + "/.hidden.yaml", atomically: true, encoding: .utf8)
            #expect {
                try RuleSet.load(directory: dir)
            } throws: { error in
                let text = (error as? RuleErrors)?.description ?? ""
                return text == """
                    \(dir)/aa-broken.yml:5:12: unknown name "nope" (define it under let:; account attributes are account.<name>)
                      warning: nope > 1
                               ^~~~
                    \(dir)/zz-duplicate.yaml:2:5: duplicate rule id "single-contact" (also in \(dir)/single-contact.yaml)
                    id: single-contact
                        ^~~~~~~~~~~~~~
                    """
            }
        }
    }

    @Test func rulesAreSortedByIdAndAlertsByRuleThenAccount() throws {
        var b = TestBook()
        for id in ["K-9", "K-10", "A-1"] { b.account(id, tier: "key") }
        let alerts = shippedRules.evaluate(book: b.build(), at: testAt, locale: .en)
        #expect(
            alerts.map { "\($0.rule) \($0.accountID)" } == [
                "single-contact A-1", "single-contact K-10", "single-contact K-9",
            ])
    }

    @Test func evaluationSplitAcrossWorkersIsTheSame() throws {
        // Enough accounts for several workers; ids out of order so the merge must sort.
        var b = TestBook()
        for i in 0..<21_000 {
            let id = "A\((i * 7919) % 21_000)"
            b.account(id, tier: i % 3 == 0 ? "key" : "standard")
            if i % 5 == 0 { b.contact(id) }
        }
        let alerts = shippedRules.evaluate(book: b.build(), at: testAt, locale: .en)
        #expect(alerts.count == 7_000)
        let keys = alerts.map { "\($0.rule) \($0.accountID)" }
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(alerts.filter { $0.severity == .warning }.count == 1_400)
    }

    @Test func evaluationInChunksKeepsAscendingIdsInOrder() throws {
        // Ascending ids are not sorted again: the chunks must come back in account order.
        var b = TestBook()
        for i in 0..<25_000 {
            let id = "A" + String(repeating: "0", count: 5 - String(i).count) + String(i)
            b.account(id, tier: i % 7 == 0 ? "key" : "standard")
            if i % 2 == 0 { b.contact(id) }
        }
        let alerts = shippedRules.evaluate(book: b.build(), at: testAt, locale: .en)
        let keys = alerts.map { "\($0.rule) \($0.accountID)" }
        #expect(alerts.count == (0..<25_000).filter { $0 % 7 == 0 }.count)
        #expect(keys == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test func defaultRulesDirectoryLookupOrder() throws {
        let env = ["KAMWATCH_RULES_DIR": "/nonexistent/rules"]
        let candidates = RulesDirectory.candidates(
            environment: env, executablePath: "/opt/kamwatch/bin/kamwatch")
        #expect(
            candidates == [
                "/nonexistent/rules", "/opt/kamwatch/share/kamwatch/rules", "/usr/share/kamwatch/rules",
                RulesDirectory.sourceTreeRules,
            ])
        #expect(RulesDirectory.sourceTreeRules == shippedRulesDirectory)
        let found = RulesDirectory.resolve(
            environment: ["KAMWATCH_RULES_DIR": shippedRulesDirectory], executablePath: nil)
        #expect(found == shippedRulesDirectory)
    }
}
