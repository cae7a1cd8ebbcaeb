import KamwatchDigest
import KamwatchRules
import KamwatchVocabulary

extension DigestRun {
    /// Rule titles, advice and evidence labels from the rule files of `rulesDir` (the default rules directory when
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
                texts[rule.id] = Dictionary(
                    uniqueKeysWithValues: Language.allCases.map { language in
                        let advice = rule.advice[language]
                        return (
                            language,
                            RuleText(
                                title: rule.title[language], advice: advice.isEmpty ? nil : advice,
                                evidenceStyles: rule.evidenceStyles)
                        )
                    })
            case .failure(let errors):
                warn("\(errors); its alerts show the rule id instead of a title")
            }
        }
        return RuleTextTable(texts)
    }
}
