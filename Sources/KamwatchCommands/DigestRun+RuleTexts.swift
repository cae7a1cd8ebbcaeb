import KamwatchDigest
import KamwatchRules
import KamwatchVocabulary

extension DigestRun {
    /// Rule titles and advice from the rule files of `rulesDir` (the default rules directory when
    /// `nil`). A file that does not compile only loses its title (the digest shows the rule id),
    /// so one broken rule cannot stop the morning mail; `warn` hears about it.
    public static func ruleTexts(rulesDir: String?, warn: (String) -> Void) -> RuleTextTable {
        guard let directory = rulesDir ?? RulesDirectory.resolve(),
            let files = try? RuleSet.ruleFiles(in: directory)
        else {
            warn("no rules directory found; the digest shows rule ids instead of titles")
            return RuleTextTable()
        }
        var texts: [String: [Language: RuleText]] = [:]
        for file in files {
            switch RuleSet.loadFile(file) {
            case .success(let rule):
                texts[rule.id] = [
                    .en: RuleText(title: rule.title.en, advice: rule.advice.en.isEmpty ? nil : rule.advice.en),
                    .ru: RuleText(title: rule.title.ru, advice: rule.advice.ru.isEmpty ? nil : rule.advice.ru),
                ]
            case .failure(let errors):
                warn("\(errors); its alerts show the rule id instead of a title")
            }
        }
        return RuleTextTable(texts)
    }
}
