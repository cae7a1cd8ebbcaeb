import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// The value of `expression` for account "A" (evaluated as a one-rule rule set).
func value(_ expression: String, _ book: Book, at: Day = testAt) throws -> EvidenceValue? {
    let text = """
        version: 1
        id: probe
        title: Probe
        let:
          v: |
            \(expression)
        severity: warning
        evidence:
          v: v
        message: "{v}"
        """
    let rule = try RuleSet.compile(file: "probe.yaml", text: text).get()
    return RuleSet(rules: [rule]).evaluate(book: book, at: at, locale: .en).first { $0.accountID == "A" }?[
        evidence: "v"]
}

@Suite struct ExpressionTests {
    /// A holding H (not an account) above P above A; A has orders, contacts and events.
    static let book: Book = {
        var b = TestBook()
        b.account("A", tier: "Key", parent: "P", name: "Alpha", owner: "o@x")
        b.account("P", tier: "standard", parent: "H", name: "Parent")
        b.account("B", tier: nil, name: "Beta")
        b.order("A", testAt - 1, list: 100, net: 90, cogs: 50)
        b.order("A", testAt - 10, list: 200, net: 150)
        b.order("A", testAt - 100, list: 300, net: 300, cogs: 10)
        b.order("A", testAt + 1, list: 1000, net: 1000)
        b.order("P", testAt - 5, list: 40, net: 40)
        b.order("B", testAt - 5, list: 60, net: 60)
        b.contact("A", since: testAt - 400, until: nil, role: "Head of IT")
        b.contact("A", since: testAt - 400, until: testAt - 30, role: "Buyer")
        b.contact("A", since: nil, until: nil, role: nil)
        b.event("H", testAt - 3, type: "merger", counterparty: "Globex")
        b.event("P", testAt - 50, type: "rebranding")
        b.event("A", testAt - 7, type: "award")
        return b.build()
    }()

    @Test(
        "values",
        arguments: [
            ("1 + 2 * 3", EvidenceValue.number(7)),
            ("(1 + 2) * 3", .number(9)),
            ("-2 - -3", .number(1)),
            ("7 / 2", .number(3.5)),
            ("1 / 0", .null),
            ("coalesce(1 / 0, 5)", .number(5)),
            ("null", .null),
            ("at", .text("2026-11-20")),
            ("at - 30d", .text("2026-10-21")),
            ("2026-12-01 - at", .number(11)),
            ("(2026-12-01 - at) / 1d", .number(11)),
            ("at - 2w", .text("2026-11-06")),
            ("account.tier", .text("key")),
            ("account.name", .text("Alpha")),
            ("account.owner", .text("o@x")),
            ("account.industry", .null),
            ("account.parent_id", .text("P")),
            ("account.tier in [\"strategic\", \"KEY\"]", .bool(true)),
            ("account.tier not in [\"strategic\"]", .bool(true)),
            ("account.industry in [\"x\"]", .bool(false)),
            ("account.industry not in [\"x\"]", .bool(false)),
            ("account.industry is null", .bool(true)),
            ("account.industry == null", .bool(true)),
            ("account.name is not null", .bool(true)),
            ("account.name contains \"LPH\"", .bool(true)),
            ("account.name matches \"^al.*a$\"", .bool(true)),
            ("account.name matches \"beta|alp\"", .bool(true)),
            ("not (1 > 2) and (1 < 2 or false)", .bool(true)),
            ("if(1 > 2, \"yes\", \"no\")", .text("no")),
            ("min(3, 1, 2) + max(1 / 0, 4)", .number(5)),
            ("round(2 / 3, 2)", .number(0.67)),
            ("abs(-4)", .number(4)),
            // Aggregates over the account's own rows; the order after AT is ignored.
            ("count(orders)", .number(3)),
            ("count(orders last 10d)", .number(1)),
            ("count(orders last 11d)", .number(2)),
            ("sum(net_amount of orders last 90d)", .number(240)),
            ("sum(net_amount - coalesce(cogs, 0) of orders last 90d)", .number(190)),
            ("count(cogs of orders)", .number(2)),
            ("avg(list_amount of orders)", .number(200)),
            ("min(net_amount of orders)", .number(90)),
            ("max(date of orders)", .text("2026-11-19")),
            ("avg(net_amount of orders last 0d)", .null),
            ("sum(net_amount of orders between at - 100d and at - 10d)", .number(150)),
            ("sum(net_amount of orders last 90d) / sum(list_amount of orders last 90d)", .number(0.8)),
            ("count(orders where net_amount >= 150 and orders.list_amount < 300)", .number(1)),
            ("count(orders where date in last 10d)", .number(1)),
            ("count(orders where account.tier == \"key\")", .number(3)),
            ("latest(net_amount of orders)", .number(90)),
            ("earliest(net_amount of orders)", .number(300)),
            ("count(contacts where active_on(at))", .number(2)),
            ("count(contacts where active_on(at - 100d))", .number(3)),
            ("count(contacts where role matches \"head|chief\")", .number(1)),
            ("count(contacts where role is null)", .number(1)),
            ("max(until of contacts)", .text("2026-10-21")),
            // Other scopes.
            ("count(ancestors.events)", .number(2)),
            ("count(lineage.events)", .number(3)),
            ("count(events)", .number(1)),
            ("latest(type of ancestors.events)", .text("merger")),
            ("latest(account_id of lineage.events last 40d where type != \"award\")", .text("H")),
            ("sum(net_amount of ancestors.orders)", .number(40)),
            ("sum(net_amount of book.orders last 365d)", .number(640)),
            ("count(book.accounts)", .number(3)),
            ("count(book.accounts where tier is null)", .number(1)),
            ("sum(net_amount of orders last 365d) / sum(net_amount of book.orders last 365d)", .number(0.84375)),
        ])
    func evaluates(expression: String, expected: EvidenceValue) throws {
        #expect(try value(expression, Self.book) == expected)
    }

    @Test func identicalAggregatesAgreeAcrossRules() throws {
        // The same aggregate in two rules shares one memo slot per account.
        let texts = ["r1", "r2"].map { id in
            """
            version: 1
            id: \(id)
            title: T
            let:
              n: count(orders last 90d)
            severity: warning
            evidence: [n]
            message: "{n}"
            """
        }
        let rules = try texts.enumerated().map {
            try RuleSet.compile(file: "\($0.offset).yaml", text: $0.element).get()
        }
        let alerts = RuleSet(rules: rules).evaluate(book: Self.book, at: testAt, locale: .en)
        #expect(alerts.filter { $0.accountID == "A" }.map(\.message) == ["2", "2"])
        #expect(alerts.filter { $0.accountID == "P" }.map(\.message) == ["1", "1"])
    }

    @Test func sharedValuesFollowTheExpressionsStructure() throws {
        // Values are shared by the text of their expression's structure: the same aggregate
        // twice takes no more slots than once; aggregates that differ anywhere take their own.
        func slots(_ expressions: [String]) throws -> Int {
            let rules = try expressions.enumerated().map { i, expression in
                try RuleSet.compile(
                    file: "\(i).yaml",
                    text: """
                        version: 1
                        id: r\(i)
                        title: T
                        let:
                          n: \(expression)
                        severity: warning
                        evidence: [n]
                        message: "{n}"
                        """
                ).get()
            }
            let binder = Binder(book: Self.book.conformed(to: RuleSet(rules: rules).schema), at: testAt)
            for (i, rule) in rules.enumerated() { _ = binder.bind(rule, index: i) }
            return binder.slotCount
        }
        let pairs = [
            ("count(orders last 90d)", "count(orders last 91d)"),
            ("count(contacts where role == \"a\")", "count(contacts where role == \"b\")"),
            ("sum(net_amount of orders last 90d)", "sum(list_amount of orders last 90d)"),
            ("max(net_amount of orders last 90d)", "min(net_amount of orders last 90d)"),
            ("count(contacts where role in [\"a\", \"b\"])", "count(contacts where role in [\"a\"])"),
            ("sum(net_amount - 1 of orders last 90d)", "sum(net_amount + 1 of orders last 90d)"),
        ]
        for (a, b) in pairs {
            let same = try slots([a, a])
            #expect(same == (try slots([a])) + 1, "\(a)")
            #expect(try slots([a, b]) == same + 1, "\(a) / \(b)")
        }
    }
}
