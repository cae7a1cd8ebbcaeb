import KamwatchDigest
import KamwatchVocabulary
import Testing

@Suite("Plurals and numbers")
struct PluralAndNumberTests {
    @Test(arguments: [
        (0, "0 дней"), (1, "1 день"), (2, "2 дня"), (4, "4 дня"), (5, "5 дней"), (11, "11 дней"),
        (12, "12 дней"), (14, "14 дней"), (21, "21 день"), (22, "22 дня"), (25, "25 дней"), (101, "101 день"),
        (111, "111 дней"),
    ])
    func russianDays(n: Int, text: String) throws {
        let strings = try DigestStrings(language: .ru, templates: try #require(DigestRenderer.bundledTemplates))
        #expect(strings.plural("days", n) == text)
    }

    @Test(arguments: [(0, "0 days"), (1, "1 day"), (2, "2 days"), (21, "21 days")])
    func englishDays(n: Int, text: String) throws {
        let strings = try DigestStrings(language: .en, templates: try #require(DigestRenderer.bundledTemplates))
        #expect(strings.plural("days", n) == text)
    }

    @Test(arguments: [
        (1_250_000.0, Language.en, "1,250,000"), (1_250_000.0, .ru, "1\u{00A0}250\u{00A0}000"),
        (515_000.5, .en, "515,000.5"), (515_000.5, .ru, "515\u{00A0}000,5"), (0.072, .en, "0.07"),
        (-1234.567, .en, "-1,234.57"), (999.999, .en, "1,000"), (0, .ru, "0"),
    ])
    func numbers(value: Double, language: Language, text: String) {
        #expect(NumberText.format(value, language: language) == text)
    }

    @Test func everyLanguageHasEveryString() throws {
        let folder = try #require(DigestRenderer.bundledTemplates)
        let en = try DigestStrings(language: .en, templates: folder)
        for language in Language.allCases {
            let strings = try DigestStrings(language: language, templates: folder)
            #expect(Set(strings.labels.keys) == Set(en.labels.keys), "\(language)")
            for key in ["count.new", "count.open", "count.resolved", "days"] {
                for n in [1, 2, 5] { #expect(!strings.plural(key, n).contains("["), "\(language) \(key) \(n)") }
            }
        }
    }
}
