import KamwatchData
import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite struct OutputFormatTests {
    static let alert = Alert(
        rule: "discount-creep", accountID: "K-1", accountName: "ООО «Тест» \"Q\"", severity: .critical,
        message: "Line\tone\nTwo",
        evidence: [
            "recent": .number(12.345678), "n": .number(3), "big": .number(1e16),
            "neg": .number(-0.00004), "when": .text("2026-11-20"), "ok": .bool(true), "none": .null,
        ],
        owner: "a@x", lead: nil)

    @Test func jsonLine() {
        #expect(
            AlertJSON.line(Self.alert) == """
                {"rule":"discount-creep","account_id":"K-1","account_name":"ООО «Тест» \\"Q\\"","severity":"critical",\
                "message":"Line\\tone\\nTwo","evidence":{"recent":12.3457,"n":3,"big":1e+16,"neg":0,\
                "when":"2026-11-20","ok":true,"none":null},"owner":"a@x","lead":null}
                """)
    }

    @Test(
        "JSON numbers",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (42, "42"), (-7, "-7"), (0.5, "0.5"), (1.0 / 3, "0.3333"), (2.0 / 3, "0.6667"),
            (123456.78901, "123456.789"), (1e20, "1e+20"), (Double.nan, "null"), (Double.infinity, "null"),
        ] as [(Double, String)])
    func jsonNumbers(v: Double, text: String) {
        #expect(NumberText.json(v) == text)
    }

    @Test(
        "message numbers",
        arguments: [
            (12.0, "", Language.en, "12"), (12.345, "", .en, "12.35"), (12.5, ".0", .en, "13"),
            (0.1234, ".1%", .en, "12.3%"),
            (1234567.891, ",.0", .en, "1,234,568"), (1234567.891, ",.2", .ru, "1\u{00A0}234\u{00A0}567,89"),
            (-0.001, ".1", .en, "0.0"),
            (-1500, ",", .en, "-1,500"), (0.5, "%", .ru, "50%"), (2.5, "", .ru, "2,5"),
        ] as [(Double, String, Language, String)])
    func messageNumbers(v: Double, spec: String, locale: Language, text: String) throws {
        let style = try #require(spec.isEmpty ? NumberStyle() : NumberStyle(spec: spec))
        #expect(RuleValue.number(v).formatted(style, locale: locale) == text)
    }

    @Test func datesAndNullsInMessages() {
        let d = Day(iso: "2026-03-05")!.ordinal
        #expect(RuleValue.day(d).formatted(NumberStyle(), locale: .en) == "2026-03-05")
        #expect(RuleValue.day(d).formatted(NumberStyle(), locale: .ru) == "05.03.2026")
        #expect(RuleValue.null.formatted(NumberStyle(), locale: .en) == "—")
    }

    @Test func textReportWithoutColour() {
        let warning = Alert(
            rule: "single-contact", accountID: "K-2", accountName: "Beta", severity: .warning,
            message: "Active contacts at the client: 1.", evidence: [:], owner: nil, lead: nil)
        let critical = Alert(
            rule: "cost-over-margin", accountID: "K-1", accountName: "Alpha", severity: .critical,
            message: "Cost to serve 10 against a margin of 5 over the last 365 days.", evidence: [:], owner: nil,
            lead: nil)
        let text = TextReport(colour: false, locale: .en).render([critical, warning], accountCount: 10, at: testAt)
        #expect(
            text == """
                CRITICAL (1)
                  cost-over-margin  K-1  Alpha
                                    Cost to serve 10 against a margin of 5 over the last 365 days.

                WARNING (1)
                  single-contact  K-2  Beta
                                  Active contacts at the client: 1.

                2 alerts (1 critical, 1 warning) on 2 of 10 accounts, as of 2026-11-20.

                """)
        #expect(
            TextReport(colour: false, locale: .en).render([], accountCount: 10, at: testAt)
                == "0 alerts (0 critical, 0 warning) on 0 of 10 accounts, as of 2026-11-20.\n")
        #expect(TextReport(colour: true, locale: .en).render([critical]).contains("\u{1B}[1;31mCRITICAL (1)\u{1B}[0m"))
    }

    @Test func revenueAtStake() {
        var b = TestBook()
        b.account("A")
        b.order("A", testAt - 364, list: 10, net: 10)
        b.order("A", testAt - 365, list: 20, net: 20)
        b.order("A", testAt, list: 5, net: -2)
        b.order("A", testAt + 1, list: 50, net: 50)
        let book = b.build()
        #expect(book.netRevenue(ofAccountID: "A", at: testAt) == 8)
        #expect(book.netRevenue(ofAccountID: "A", at: testAt, days: 366) == 28)
        #expect(book.netRevenue(ofAccountID: "nobody", at: testAt) == 0)
    }
}

/// Evidence as people read it: the rule file's labels and formats, in the report's language.
@Suite struct EvidenceStyleTests {
    static let rule = """
        version: 1
        id: share-rule
        title: Share
        let:
          share: 0.223
        severity: warning
        evidence:
          share:
            value: share
            label: {en: Revenue share, ru: Доля выручки}
            format: percent
          raw: 123.45
        message: "{share:.1%}"
        """

    @Test func labelsAndFormatsComeFromTheRuleFile() throws {
        let rule = try RuleSet.compile(file: "share.yaml", text: Self.rule).get()
        #expect(rule.evidenceStyle("share").format == .percent)
        #expect(rule.evidenceStyle("share").label == LocalizedText(en: "Revenue share", ru: "Доля выручки"))
        #expect(rule.evidenceStyle("raw") == EvidenceStyle())
    }

    @Test(arguments: [
        (Language.en, "Revenue share: 22.3% · raw: 123.45"),
        (Language.ru, "Доля выручки: 22,3\u{00A0}% · raw: 123,45"),
    ])
    func textReportShowsLabelledEvidence(language: Language, line: String) throws {
        let rule = try RuleSet.compile(file: "share.yaml", text: Self.rule).get()
        let alert = Alert(
            rule: "share-rule", accountID: "K-1", accountName: "Acme", severity: .warning, message: "m",
            evidence: ["share": .number(0.223), "raw": .number(123.45)], owner: nil, lead: nil)
        let report = TextReport(colour: false, locale: language, evidenceStyles: RuleSet(rules: [rule]).evidenceStyles)
        #expect(report.render([alert]).contains("  " + line + "\n"))
    }

    @Test(arguments: [
        (EvidenceFormat.percent, EvidenceValue.number(0.223), "22.3%", "22,3\u{00A0}%"),
        (.inPercent, .number(17), "17.0%", "17,0\u{00A0}%"),
        (.points, .number(12.06), "12.1\u{00A0}pp", "12,1\u{00A0}п.\u{00A0}п."),
        (.money, .number(1_250_000.4), "1,250,000", "1\u{00A0}250\u{00A0}000"),
        (.count, .number(3), "3", "3"),
        (.days, .number(21), "21\u{00A0}days", "21\u{00A0}день"),
        (.days, .number(3), "3\u{00A0}days", "3\u{00A0}дня"),
        (.date, .text("2026-09-14"), "2026-09-14", "14.09.2026"),
        (.number, .number(0.5), "0.5", "0,5"),
    ])
    func formats(format: EvidenceFormat, value: EvidenceValue, en: String, ru: String) {
        #expect(NumberText.evidence(value, format: format, language: .en) == en)
        #expect(NumberText.evidence(value, format: format, language: .ru) == ru)
    }
}
