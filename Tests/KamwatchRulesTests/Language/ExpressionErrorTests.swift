import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// Exact messages and positions of expression errors, for the `v:` definition of a probe rule.
@Suite struct ExpressionErrorTests {
    /// The single error of `expression` as `line:column: message`, or nil when it compiles.
    private func error(_ expression: String) -> String? {
        let text = "version: 1\nid: probe\ntitle: Probe\nlet:\n  v: \(expression)\nseverity: warning\nmessage: x\n"
        guard case .failure(let errors) = RuleSet.compile(file: "p.yaml", text: text) else { return nil }
        return errors.errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }.joined(separator: "\n")
    }

    @Test(
        "errors",
        arguments: [
            (
                "count(orders last 90d",
                "5:27: expected \"last\", \"between\", \"where\" or \")\", found end of expression"
            ),
            ("account.tier = 'key'", "5:19: unexpected \"=\" (write \"==\" to compare)"),
            ("\"'open\"", "5:7: unterminated string"),
            ("1 +", "5:9: unexpected end of expression"),
            (
                "count(orders where amount > 0)",
                "5:25: unknown column \"amount\" in table orders (expected one of: order_id, account_id, date, list_amount, net_amount, cogs)"
            ),
            ("sum(amount of service_costs last 30)", "5:39: \"last\" takes a duration, e.g. last 90d"),
            ("at - 30", "5:6: cannot compute a date - a number (write a duration like 90d)"),
            ("count(orders) > 30d", "5:6: cannot compare a number with a duration (write a duration like 30d)"),
            ("count(contacts last 30d)", "5:12: table contacts has no date column; filter it with \"where\" instead"),
            (
                "sum(net_amount of orders where count(orders) > 1)",
                "5:37: aggregates cannot be nested; define the inner one under let:"
            ),
            (
                "sum(net_amount of ordrs)",
                "5:24: expected a table (accounts, contacts, orders, service_costs, events), optionally after book., ancestors. or lineage."
            ),
            ("active_on(at)", "5:6: active_on() is only available in a \"where\" over contacts"),
            (
                "count(orders where active_on(at))",
                "5:25: active_on() needs since and until columns; table orders has none"
            ),
            ("account.name matches '(unclosed'", "5:27: bad regular expression \"(unclosed\": expected ')'"),
            ("account.name contains 3", "5:28: \"contains\" takes a quoted text on its right"),
            ("account.tier in ['a', 1]", "5:28: list item is a number, but the value is text"),
            (
                "orders.net_amount",
                "5:6: orders.net_amount is only available inside an aggregate over orders, e.g. sum(net_amount of orders)"
            ),
            ("latest(name of contacts)", "5:21: latest needs a dated table; contacts has no date column"),
            ("round(1.5, -1)", "5:17: round() takes a whole number of decimals from 0 to 10"),
            ("2026-02-30", "5:6: no such date \"2026-02-30\""),
            ("coalesce(1, 'x')", "5:18: coalesce() mixes a number and text"),
            ("12q", "5:6: unknown unit \"q\" (durations use d for days or w for weeks)"),
            ("not 3", "5:10: \"not\" needs true/false, not a number"),
            ("count(orders) count(orders)", "5:20: unexpected \"count\" after the expression"),
        ])
    func errors(expression: String, expected: String) {
        #expect(error(expression) == expected)
    }

    @Test(
        "compiles",
        arguments: ["count(orders last 90d)", "at - 2026-01-01 > 30d", "-(1 + 2)", "account.tier not in ['a']"])
    func compiles(expression: String) {
        #expect(error(expression) == nil)
    }
}
