import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

/// Aggregates over the same rows share one walk of them per account, and rules with the same
/// scope test it once: on random books both give the alerts of each aggregate walking its own
/// rows and of each rule evaluated alone.
@Suite("Shared scans and scopes")
struct SharedScanTests {
    /// A deterministic generator (SplitMix64), so that a failing seed can be replayed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A book of `accounts` accounts with random tiers, parents (cycles too), orders, costs,
    /// contacts and events around `testAt`, some cells missing.
    static func randomBook(seed: UInt64, accounts: Int = 80) -> Book {
        var g = Generator(state: seed)
        var b = TestBook()
        func day(_ g: inout Generator) -> String { (testAt - Int.random(in: -10...500, using: &g)).description }
        func amount(_ g: inout Generator, missing: Double) -> String? {
            Double.random(in: 0..<1, using: &g) < missing ? nil : "\(Double(Int.random(in: -50...2000, using: &g)) / 4)"
        }
        let tiers: [String?] = ["strategic", "key", "Key", "standard", nil, "vip"]
        for a in 0..<accounts {
            let parent = Int.random(in: 0..<4, using: &g) == 0 ? "a\(Int.random(in: 0..<accounts, using: &g))" : nil
            b.account("a\(a)", tier: tiers.randomElement(using: &g)!, parent: parent)
            for _ in 0..<Int.random(in: 0...8, using: &g) {
                var r = ["order_id": "o\(b.rows[.orders]?.count ?? 0)", "account_id": "a\(a)", "date": day(&g)]
                r["list_amount"] = amount(&g, missing: 0.1)
                r["net_amount"] = amount(&g, missing: 0.1)
                r["cogs"] = amount(&g, missing: 0.4)
                b.rows[.orders, default: []].append(r)
            }
            for _ in 0..<Int.random(in: 0...4, using: &g) {
                var r = ["account_id": "a\(a)", "date": day(&g)]
                r["amount"] = amount(&g, missing: 0.1)
                b.rows[.serviceCosts, default: []].append(r)
            }
            for _ in 0..<Int.random(in: 0...5, using: &g) {
                let since = Bool.random(using: &g) ? testAt - Int.random(in: 0...900, using: &g) : nil
                let until = Bool.random(using: &g) ? testAt - Int.random(in: -30...400, using: &g) : nil
                b.contact("a\(a)", since: since, until: until)
            }
            for _ in 0..<Int.random(in: 0...2, using: &g) {
                let type = ["merger", "acquisition", "rename", "ownership_change"].randomElement(using: &g)!
                b.rows[.events, default: []].append([
                    "account_id": "a\(a)", "date": day(&g), "type": type, "counterparty": "c\(a)",
                ])
            }
        }
        return b.build()
    }

    static func rule(_ id: String, scope: String?, lets: String, when: String, critical: String) -> Rule {
        let text = """
            version: 1
            id: \(id)
            title: Probe
            \(scope.map { "scope: \($0)" } ?? "")
            let:
            \(lets)
            when: \(when)
            severity:
              critical: \(critical)
              warning: true
            evidence:
              n: n
              s: s
            message: "{n} {s}"
            """
        do {
            return try RuleSet.compile(file: "\(id).yaml", text: text).get()
        } catch {
            fatalError("probe rule does not compile:\n\(error)")
        }
    }

    /// Rules whose aggregates share rows within a rule and across rules, with and without a
    /// scope, with filters that read a definition, over the account, its lineage, its
    /// ancestors and the whole book.
    static let probes: [Rule] = [
        rule(
            "p1", scope: #"account.tier in ["strategic", "key"]"#,
            lets: """
                  k: 30
                  n: count(orders last 200d)
                  s: sum(net_amount of orders last 200d)
                  a: avg(list_amount of orders last 200d)
                  lo: min(cogs of orders last 200d)
                  hi: max(net_amount - coalesce(cogs, 0) of orders last 200d)
                  c: count(cogs of orders last 200d)
                  f: sum(net_amount of orders last 200d where net_amount > k)
                  g: count(orders last 200d where net_amount > k)
                  w: count(orders between at - 300d and at - 100d)
                  w2: sum(list_amount of orders between at - 300d and at - 100d)
                """,
            when: "n >= 1 and coalesce(a, 0) + coalesce(lo, 0) + coalesce(hi, 0) + c + f + g + w + w2 > -1000000000",
            critical: "s > 800"),
        rule(
            "p2", scope: nil,
            lets: """
                  k: 100
                  n: count(orders last 200d)
                  s: sum(net_amount of orders last 200d where net_amount > k)
                  t: count(orders last 200d where net_amount > k)
                  lin: sum(amount of lineage.service_costs last 400d)
                  lin2: count(lineage.service_costs last 400d)
                  anc: max(amount of ancestors.service_costs last 400d)
                  anc2: avg(amount of ancestors.service_costs last 400d)
                """,
            when: "n + t + lin2 >= 2", critical: "coalesce(anc, 0) > coalesce(anc2, 0) and lin > 100"),
        rule(
            "p3", scope: #"account.tier in ["strategic", "key"]"#,
            lets: """
                  n: count(contacts where active_on(at - 180d))
                  s: count(contacts where active_on(at - 180d) and until in last 180d)
                  bk: count(book.orders last 30d where account_id == account.account_id)
                  bk2: sum(net_amount of book.orders last 30d where account_id == account.account_id)
                """,
            when: "n + bk >= 1", critical: "s * 2 >= n or bk2 > 300"),
        rule(
            "p4", scope: #"account.tier == "strategic""#,
            lets: """
                  n: count(lineage.events last 180d where type in ["merger", "acquisition"])
                  s: sum(net_amount of orders last 365d)
                  m: count(orders last 365d)
                """,
            when: "n + m >= 1", critical: "n >= 1"),
    ]

    static var allRules: [Rule] { probes + shippedRules.rules }

    @Test("shared walks give each aggregate's own walk's alerts", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func sharedScans(seed: UInt64) {
        let book = Self.randomBook(seed: seed)
        let rules = RuleSet(rules: Self.allRules)
        for at in [testAt, testAt - 90, testAt + 30] {
            let shared = rules.evaluate(book: book, at: at, locale: .en, sharesScans: true)
            let own = rules.evaluate(book: book, at: at, locale: .en, sharesScans: false)
            #expect(!own.isEmpty)
            #expect(shared == own)
        }
    }

    @Test("rules evaluated together give the alerts of each alone", arguments: [7, 8, 9] as [UInt64])
    func scopesTestedOnce(seed: UInt64) {
        let book = Self.randomBook(seed: seed)
        let rules = RuleSet(rules: Self.allRules)
        let together = rules.evaluate(book: book, at: testAt, locale: .en)
        var alone: [Alert] = []
        for r in rules.rules {
            alone += RuleSet(rules: [r]).evaluate(book: book, at: testAt, locale: .en, sharesScans: false)
        }
        #expect(Set(together.map(\.rule)).count >= 5)
        #expect(together == alone)
    }

    @Test("rules with the same scope are grouped, in order of first appearance")
    func groups() {
        let book = Self.randomBook(seed: 10, accounts: 3)
        let binder = Binder(book: book.conformed(to: RuleSet(rules: Self.probes).schema), at: testAt)
        let bound = Self.probes.enumerated().map { binder.bind($1, index: $0) }
        #expect(RuleSet.scopeGroups(bound) == [[0, 2], [1], [3]])
    }

    @Test("a scan read by several aggregates keeps its rows; one read by one walks them itself")
    func sharedOnlyWhenReadTwice() {
        let book = Self.randomBook(seed: 11, accounts: 3)
        let rules = [Self.probes[3]]
        let binder = Binder(book: book.conformed(to: RuleSet(rules: rules).schema), at: testAt)
        _ = binder.bind(rules[0], index: 0)
        // orders last 365d: count and sum; the events' scan has one reader.
        #expect(binder.scanCount == 1)
        let unshared = Binder(
            book: book.conformed(to: RuleSet(rules: rules).schema), at: testAt, sharesScans: false)
        _ = unshared.bind(rules[0], index: 0)
        #expect(unshared.scanCount == 0)
    }
}

/// `active_on(DAY)` and `DATE in WINDOW` with a day fixed for the whole evaluation read the
/// columns directly; the same tests with a day that depends on the account (though equal) go
/// through the general closures: on random books both count the same rows.
@Suite("Row tests on fixed days")
struct FixedDayRowTests {
    @Test("fixed and per-account days count the same rows", arguments: [21, 22, 23] as [UInt64])
    func sameCounts(seed: UInt64) {
        let rule = SharedScanTests.rule(
            "fixed-days", scope: nil,
            lets: """
                  d: if(account.tier == "no such tier", at, at - 180d)
                  n: count(contacts where active_on(at - 180d)) * 1000 + count(contacts where until in last 90d)
                  s: count(contacts where active_on(d)) * 1000 + count(contacts where until > d + 90d and until <= at)
                  z: count(contacts where active_on(null)) + count(contacts where until in last 0d)
                  w1: count(orders between at - 180d and at) * 1000 + sum(net_amount of orders between at - 10d and at + 30d)
                  w2: count(orders between d and at) * 1000 + sum(net_amount of orders between d + 170d and d + 210d)
                """,
            when: "n != s or z != 0 or d != at - 180d or w1 != w2", critical: "true")
        let book = SharedScanTests.randomBook(seed: seed)
        for at in [testAt, testAt - 200] {
            #expect(RuleSet(rules: [rule]).evaluate(book: book, at: at, locale: .en).isEmpty)
        }
        // The rule does raise an alert when the counts differ.
        let probe = SharedScanTests.rule(
            "fixed-days", scope: nil,
            lets: """
                  n: count(contacts where active_on(at - 180d))
                  s: count(contacts where until in last 90d)
                """,
            when: "n != s", critical: "true")
        #expect(!RuleSet(rules: [probe]).evaluate(book: book, at: testAt, locale: .en).isEmpty)
    }
}

/// Aggregates of `a OP b` over columns, constants and `coalesce(column, constant)` read the
/// columns directly; the same with a part that depends on the account (though equal) go through
/// the general closures: on random books both give the same sums, averages and extremes.
@Suite("Aggregates of column arithmetic")
struct ColumnArithmeticTests {
    @Test("direct and general arithmetic agree", arguments: [31, 32, 33] as [UInt64])
    func sameValues(seed: UInt64) {
        let zero = #"if(account.tier == "no such tier", 1, 0)"#
        let one = #"if(account.tier == "no such tier", 2, 1)"#
        let pairs = [
            ("net_amount - coalesce(cogs, 0)", "net_amount - coalesce(cogs, \(zero))"),
            ("list_amount + net_amount", "list_amount + net_amount * \(one)"),
            ("net_amount * 2", "net_amount * (\(one) + 1)"),
            ("net_amount / list_amount", "net_amount / (list_amount * \(one))"),
            ("100 - coalesce(cogs, null)", "100 * \(one) - coalesce(cogs, null)"),
            ("coalesce(cogs, 5) / 4", "coalesce(cogs, 5) / (4 * \(one))"),
        ]
        var lets: [String] = []
        var differs: [String] = []
        for (i, (direct, general)) in pairs.enumerated() {
            for f in ["sum", "avg", "min", "max", "count"] {
                lets.append("  d\(i)\(f): coalesce(\(f)(\(direct) of orders last 400d), -12345)")
                lets.append("  g\(i)\(f): coalesce(\(f)(\(general) of orders last 400d), -12345)")
                differs.append("d\(i)\(f) != g\(i)\(f)")
            }
        }
        lets.append("  n: 0")
        lets.append("  s: d0sum")
        let rule = SharedScanTests.rule(
            "arithmetic", scope: nil, lets: lets.joined(separator: "\n"),
            when: differs.joined(separator: " or "), critical: "true")
        let book = SharedScanTests.randomBook(seed: seed)
        #expect(RuleSet(rules: [rule]).evaluate(book: book, at: testAt, locale: .en).isEmpty)
        // The values are not all the fallback: some accounts have orders in the window.
        let probe = SharedScanTests.rule(
            "arithmetic", scope: nil, lets: lets.joined(separator: "\n"), when: "d0count > 0 and d3sum != 0",
            critical: "true")
        #expect(!RuleSet(rules: [probe]).evaluate(book: book, at: testAt, locale: .en).isEmpty)
    }
}
