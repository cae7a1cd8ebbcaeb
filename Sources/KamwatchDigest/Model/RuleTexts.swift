import KamwatchVocabulary

/// A rule's human title and advice in the digest's language, and how its evidence reads.
public struct RuleText: Sendable, Hashable {
    public var title: String
    public var advice: String?
    /// Labels and formats of the rule's evidence values, by name.
    public var evidenceStyles: [String: EvidenceStyle]

    public init(title: String, advice: String?, evidenceStyles: [String: EvidenceStyle] = [:]) {
        self.title = title
        self.advice = advice
        self.evidenceStyles = evidenceStyles
    }
}

/// Where the digest gets rule titles and advice (the rule files, or a table in tests).
public protocol RuleTextProvider: Sendable {
    /// Title and advice of `rule` in `language`; `nil` when the rule is unknown.
    func text(for rule: String, language: Language) -> RuleText?
}

/// A rule text provider backed by a dictionary: rule id → language → text.
public struct RuleTextTable: RuleTextProvider {
    public var texts: [String: [Language: RuleText]]

    public init(_ texts: [String: [Language: RuleText]] = [:]) {
        self.texts = texts
    }

    public func text(for rule: String, language: Language) -> RuleText? {
        guard let byLanguage = texts[rule] else { return nil }
        return byLanguage[language] ?? byLanguage[.en] ?? byLanguage.values.first
    }
}
