import KamwatchCommands
import KamwatchDigest
import KamwatchVocabulary
import Testing

@Suite struct DigestRuleTextsTests {
    @Test func titlesAndAdviceComeFromTheRuleFiles() throws {
        var warnings: [String] = []
        let table = DigestRun.ruleTexts(rulesDir: Repository.path("rules")) { warnings.append($0) }
        #expect(warnings == [])
        let en = table.text(for: "single-contact", language: .en)
        #expect(en?.title == "The relationship hangs on one person")
        #expect(en?.advice?.hasPrefix("Widen the relationship: ask your contact") == true)
        #expect(table.text(for: "single-contact", language: .ru)?.title == "Отношения держатся на одном человеке")
        #expect(table.texts.count == 8)
    }

    @Test func aBrokenRuleFileOnlyLosesItsTitle() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.copy("rules/single-contact.yaml", to: "single-contact.yaml")
        let broken = try dir.copy(
            "Tests/KamwatchCLITests/Golden/bad-rules/unknown-column.yaml", to: "unknown-column.yaml")
        var warnings: [String] = []
        let table = DigestRun.ruleTexts(rulesDir: dir.path) { warnings.append($0) }
        #expect(Array(table.texts.keys) == ["single-contact"])
        #expect(table.text(for: "single-contact", language: .en)?.title == "The relationship hangs on one person")
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("\(broken):7:36: unknown column \"net_amout\"") == true)
        #expect(warnings.first?.hasSuffix("; its alerts show the rule id instead of a title") == true)
    }

    @Test func aMissingRulesDirectoryGivesNoTitles() {
        var warnings: [String] = []
        let table = DigestRun.ruleTexts(rulesDir: "/nonexistent/kamwatch-rules") { warnings.append($0) }
        #expect(table.texts.isEmpty)
        #expect(warnings == ["no rules directory found; the digest shows rule ids instead of titles"])
    }
}
