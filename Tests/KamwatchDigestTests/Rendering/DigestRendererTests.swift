import Foundation
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

@Suite("Digest rendering")
struct DigestRendererTests {
    typealias E = ExampleDigest

    /// Compares with `Fixtures/<name>`; `KAMWATCH_UPDATE_GOLDEN=1` rewrites the fixture instead.
    private func expectGolden(
        _ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KAMWATCH_UPDATE_GOLDEN"] == "1" {
            try actual.write(to: source, atomically: true, encoding: .utf8)
            return
        }
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from Fixtures/\(name)", sourceLocation: sourceLocation)
    }

    @Test(arguments: Language.allCases)
    func textPartMatchesGolden(language: Language) throws {
        let rendered = try DigestRenderer(language: language).render(E.annaInput(language: language))
        try expectGolden(rendered.text, "digest-\(language.rawValue).txt")
    }

    @Test(arguments: [
        (Language.en, "kamwatch: 4 new, 2 open, 1 resolved — 2026-11-20"),
        (.ru, "kamwatch: 4 новых, 2 открытых, 1 закрытый — 20.11.2026"),
    ])
    func subjectCountsTheSections(language: Language, subject: String) throws {
        #expect(try DigestRenderer(language: language).render(E.annaInput(language: language)).subject == subject)
    }

    @Test(arguments: [
        (1, 1, 1, "kamwatch: 1 новый, 1 открытый, 1 закрытый — 20.11.2026"),
        (2, 5, 21, "kamwatch: 2 новых, 5 открытых, 21 закрытый — 20.11.2026"),
    ])
    func russianSubjectsAgreeWithTheirNumbers(new: Int, open: Int, resolved: Int, subject: String) throws {
        func item(_ bucket: DigestBucket, _ i: Int) -> DigestItem {
            DigestItem(
                bucket: bucket,
                alert: Alert(
                    rule: "r", accountID: "\(bucket)\(i)", accountName: "n", severity: .warning, message: "",
                    evidence: [:], owner: nil, lead: nil),
                ruleTitle: "r", advice: nil, since: E.date, ageDays: 0)
        }
        let items =
            (0..<new).map { item(.new, $0) } + (0..<open).map { item(.open, $0) }
            + (0..<resolved).map { item(.resolved, $0) }
        let input = DigestInput(lead: E.anna.value, date: E.date, items: items)
        #expect(try DigestRenderer(language: .ru).render(input).subject == subject)
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        var input = E.annaInput(language: .en)
        input.items[0].accountName = "<script>alert(1)</script> & Co"
        let html = try DigestRenderer(language: .en).render(input).html
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"))
        for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("Volga Foods"))
        #expect(html.contains("#b42318"))  // critical badge
    }

    @Test(arguments: Language.allCases)
    func allClearDigestIsShort(language: Language) throws {
        let input = DigestInput(lead: E.anna.value, date: E.date, previousDate: E.date - 1, items: [])
        let rendered = try DigestRenderer(language: language).render(input)
        #expect(
            rendered.subject
                == (language == .en ? "kamwatch: all clear — 2026-11-20" : "kamwatch: всё спокойно — 20.11.2026"))
        #expect(rendered.text.split(separator: "\n").count < 12)
    }

    /// Alerts recorded by a daemon that ran in English, read in a Russian digest.
    @Test func russianDigestOfEnglishAlertsHasNoEnglishMessageText() throws {
        let input = E.annaInput(language: .ru)
        let rendered = try DigestRenderer(language: .ru).render(input)
        let english = E.transitions.map(\.message).filter { !$0.isEmpty }
        #expect(!english.isEmpty)
        for part in [rendered.text, rendered.html] {
            for message in english { #expect(!part.contains(message), "\(message)") }
            // Every message shown is the Russian one the alert kept.
            for item in input.items { #expect(part.contains(try #require(item.messages?.ru))) }
            // Labelled evidence, Russian number format; no raw keys.
            #expect(part.contains("Доля выручки"))
            #expect(part.contains("7,2\u{00A0}%"))
            #expect(!part.contains("share"))
            for word in ["Owner", "What to do", "Evidence", "days", "since", "resolved"] {
                #expect(!part.contains(word), "\(word)")
            }
        }
    }

    @Test(arguments: Language.allCases)
    func eachAccountIsShownOnceWithItsSignalsCriticalFirst(language: Language) throws {
        let rendered = try DigestRenderer(language: language).render(E.annaInput(language: language))
        for part in [rendered.text, rendered.html] {
            #expect(part.components(separatedBy: "Baltic Steel").count == 2)
            let cost = try #require(part.range(of: language == .en ? "Costs more to serve" : "Обслуживание дороже"))
            let decline = try #require(part.range(of: language == .en ? "Revenue is falling" : "Выручка падает"))
            #expect(cost.lowerBound < decline.lowerBound)
        }
    }
}
