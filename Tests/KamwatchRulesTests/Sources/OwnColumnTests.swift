import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary
import Testing

/// Columns of the user's own (`type:`): declared in a sources file, read and typed like the
/// standard columns, reported like them, and read by rules by name.
@Suite struct OwnColumnTests {
    static let sources = """
        version: 1
        tables:
          accounts:
            files: ["companies*.csv"]
            columns:
              account_id: ID
              name: Company
              tier: Tier
              region: {from: Region, type: text}
              segment: {from: Segment, type: keyword}
              credit_limit: {from: Credit limit, type: number}
              onboarded: {from: Onboarded, type: date}
          orders:
            files: ["deals*.csv"]
            dates: dmy
            columns:
              order_id: ID
              account_id: Company ID
              date: Closed
              net_amount: Amount
              list_amount: Amount
              channel: {from: Channel, type: keyword}
              margin_pct: {expr: 'number(`Margin`) * 100', type: number}
        """

    static let companies = """
        ID;Company;Tier;Region;Segment;Credit limit;Onboarded
        A;Alpha;key;North;Enterprise;1 500,50;2024-01-15
        B;Beta;key;South;SMB;200;2025-03-01
        C;Gamma;key;West;Enterprise;lots;2024-02-01
        D;Delta;key;East;Enterprise;10;01.13.2024

        """

    static let deals = """
        ID;Company ID;Closed;Amount;Channel;Margin
        1;A;01.06.2025;1000;Partner;0,25
        2;A;10.06.2025;500;Direct;0,5
        3;B;11.06.2025;300;PARTNER;0,1
        4;B;12.06.2025;300;Direct;much

        """

    static let at = Day(iso: "2025-06-30")!

    /// Writes the export into a fresh directory and reads it through `sources`.
    static func load(
        sources: String = sources, keeping: ColumnSelection = .all
    ) throws -> (book: Book, issues: [String], plan: SourcePlan) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kw-own-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try companies.write(to: dir.appendingPathComponent("companies.csv"), atomically: true, encoding: .utf8)
        try deals.write(to: dir.appendingPathComponent("deals.csv"), atomically: true, encoding: .utf8)
        let plan = try SourcesFile.parse(file: "s.yaml", text: sources, presets: nil)
        let (book, issues) = try Book.load(directory: dir.path, sources: plan, keeping: keeping)
        return (book, issues.map(\.description), plan)
    }

    static func column(_ table: Table, _ name: String) -> Column? {
        table.schema.index(of: name).map { table.columns[$0] }
    }

    @Test func eachTypeIsReadAndTyped() throws {
        let (book, _, plan) = try Self.load()
        #expect(
            plan.schema[.accounts].columns.suffix(4).map(\.name) == ["credit_limit", "onboarded", "region", "segment"])
        #expect(plan.schema[.orders].columns.suffix(2).map(\.name) == ["channel", "margin_pct"])
        let accounts = book.accounts
        guard case .text(let region) = Self.column(accounts, "region"),
            case .text(let segment) = Self.column(accounts, "segment"),
            case .number(let limit) = Self.column(accounts, "credit_limit"),
            case .date(let onboarded) = Self.column(accounts, "onboarded")
        else {
            Issue.record("own columns missing or of the wrong kind")
            return
        }
        // Rows C and D are bad (a number and a date that do not parse): A and B are kept.
        #expect(accounts.rowCount == 2)
        #expect((0..<2).map { region[$0] } == ["North", "South"])
        #expect((0..<2).map { segment[$0] } == ["enterprise", "smb"])
        #expect(limit == [1500.5, 200])
        #expect(onboarded == [Day(iso: "2024-01-15")!.ordinal, Day(iso: "2025-03-01")!.ordinal])
        guard case .text(let channel) = Self.column(book.orders, "channel"),
            case .number(let margin) = Self.column(book.orders, "margin_pct")
        else {
            Issue.record("own order columns missing")
            return
        }
        #expect((0..<book.orders.rowCount).map { channel[$0] } == ["partner", "direct", "partner"])
        #expect(margin == [25, 50, 10])
    }

    @Test func badCellsAreReportedWithTheExportsHeader() throws {
        let (_, issues, _) = try Self.load()
        #expect(
            issues == [
                "companies.csv:4:Credit limit: invalid number \"lots\" (expected digits with an optional sign and '.' or ',' decimal mark)",
                "companies.csv:5:Onboarded: invalid date \"01.13.2024\" (no such date)",
                "deals.csv:5:Margin: invalid number \"much\" (expected digits with an optional sign and '.' or ',' decimal mark)",
            ])
    }

    static let rule = """
        version: 1
        id: partner-enterprise
        title: Partner business at an enterprise account
        scope: account.segment == "enterprise" and account.region != "West"
        let:
          partner: sum(net_amount of orders where channel == "partner" and margin_pct >= 20)
          limit: account.credit_limit
          since: account.onboarded
          largest: max(credit_limit of book.accounts where segment in ["smb", "enterprise"])
        when: partner > 0
        severity:
          critical: partner > limit
          warning: true
        evidence:
          partner: partner
          limit: limit
          since: since
          largest: largest
        message: "{partner} via partners (limit {limit}, since {since})"
        """

    @Test func rulesReadOwnColumnsByName() throws {
        let (book, _, plan) = try Self.load()
        let rule = try RuleSet.compile(file: "r.yaml", text: Self.rule, schema: plan.schema).get()
        let set = RuleSet(rules: [rule])
        let alerts = set.evaluate(book: book, at: Self.at, locale: .en)
        #expect(alerts.map(\.accountID) == ["A"])
        #expect(alerts.first?.severity == .warning)
        #expect(alerts.first?.message == "1000 via partners (limit 1500.5, since 2024-01-15)")
        #expect(alerts.first?[evidence: "largest"] == .number(1500.5))
    }

    @Test func onlyTheOwnTextColumnsRulesReadAreKept() throws {
        let plan = try SourcesFile.parse(file: "s.yaml", text: Self.sources, presets: nil)
        let rule = try RuleSet.compile(file: "r.yaml", text: Self.rule, schema: plan.schema).get()
        let used = RuleSet(rules: [rule]).columnsUsed
        #expect(used.text[.accounts]?.isSuperset(of: ["segment", "region"]) == true)
        #expect(used.text[.orders]?.contains("channel") == true)
        let (book, _, _) = try Self.load(keeping: used)
        #expect(RuleSet(rules: [rule]).evaluate(book: book, at: Self.at, locale: .en).map(\.accountID) == ["A"])
    }

    @Test func aRuleNamingAnUnknownColumnIsAnError() throws {
        let plan = try SourcesFile.parse(file: "s.yaml", text: Self.sources, presets: nil)
        let misspelt = Self.rule.replacingOccurrences(of: "account.segment ==", with: "account.segmnt ==")
        guard case .failure(let errors) = RuleSet.compile(file: "r.yaml", text: misspelt, schema: plan.schema)
        else {
            Issue.record("a misspelt column compiled")
            return
        }
        #expect(
            errors.description.hasPrefix("r.yaml:4:8: unknown account attribute \"segmnt\" (did you mean \"segment\"?)")
        )
        // Without the sources file, the rules know no column of the user's own.
        guard case .failure(let standard) = RuleSet.compile(file: "r.yaml", text: Self.rule) else {
            Issue.record("an own column compiled without the sources file")
            return
        }
        #expect(standard.description.hasPrefix("r.yaml:4:8: unknown account attribute \"segment\""))
        let inOrders = Self.rule.replacingOccurrences(of: "channel ==", with: "chanel ==")
        guard case .failure(let rowErrors) = RuleSet.compile(file: "r.yaml", text: inOrders, schema: plan.schema)
        else {
            Issue.record("a misspelt row column compiled")
            return
        }
        #expect(
            rowErrors.description.hasPrefix(
                "r.yaml:6:43: unknown column \"chanel\" in table orders (did you mean \"channel\"?)"))
    }

    @Test func aBookReadWithoutTheColumnsGivesAbsentValues() throws {
        let plan = try SourcesFile.parse(file: "s.yaml", text: Self.sources, presets: nil)
        let rule = try RuleSet.compile(file: "r.yaml", text: Self.rule, schema: plan.schema).get()
        var b = TestBook()
        b.account("A", tier: "key")
        b.order("A", Self.at - 1, list: 10, net: 10)
        #expect(RuleSet(rules: [rule]).evaluate(book: b.build(), at: Self.at, locale: .en).isEmpty)
    }

    @Test func aBookReadWithOtherOwnColumnsIsReadByName() throws {
        let plan = try SourcesFile.parse(file: "s.yaml", text: Self.sources, presets: nil)
        let rule = try RuleSet.compile(file: "r.yaml", text: Self.rule, schema: plan.schema).get()
        // Without credit_limit, the columns after it move up a slot (and Gamma, whose limit was bad, is read).
        let other = Self.sources.replacingOccurrences(
            of: "      credit_limit: {from: Credit limit, type: number}\n", with: "")
        let (book, _, otherPlan) = try Self.load(sources: other)
        #expect(otherPlan.schema != plan.schema)
        let alerts = RuleSet(rules: [rule]).evaluate(book: book, at: Self.at, locale: .en)
        #expect(alerts.map(\.accountID) == ["A"])
        #expect(alerts.first?[evidence: "limit"] == .null)
        #expect(alerts.first?[evidence: "since"] == .text("2024-01-15"))
    }

    func errors(_ text: String) -> String {
        do {
            _ = try SourcesFile.parse(file: "s.yaml", text: text, presets: nil)
            return ""
        } catch {
            return error.description
        }
    }

    @Test func declarationErrorsSayWhere() {
        let text = """
            version: 1
            tables:
              accounts:
                files: ["a.csv"]
                columns:
                  account_id: ID
                  Region: {from: Region, type: text}
                  segment: {from: Segment, type: colour}
                  tier: {from: Tier, type: keyword}
                  score: {from: Score, type: number, map: {a: 1}}
                  where: {from: Where, type: text}
                  vertical: Vertical
            """
        #expect(
            errors(text) == """
                s.yaml:7:7: a column of your own is named as rules write it: lower-case a-z, digits and _ (e.g. region, segment_2)
                      Region: {from: Region, type: text}
                      ^~~~~~
                s.yaml:8:38: type: is text, keyword, number or date
                      segment: {from: Segment, type: colour}
                                                     ^~~~~~
                s.yaml:9:32: type: is for a column of your own; "tier" is one of accounts's columns
                      tier: {from: Tier, type: keyword}
                                               ^~~~~~~
                s.yaml:10:47: a column with type: takes no map: (it is read from: a header, or computed by expr:)
                      score: {from: Score, type: number, map: {a: 1}}
                                                              ^
                s.yaml:11:7: "where" is a word of the rule language; name the column otherwise
                      where: {from: Where, type: text}
                      ^~~~~
                s.yaml:12:7: unknown column "vertical" of accounts (expected one of account_id, name, tier, owner, lead, parent_id, industry, or a column of your own with type:)
                      vertical: Vertical
                      ^~~~~~~~
                """)
    }
}
