import KamwatchVocabulary

/// A text in each message locale.
public struct LocalizedText: Sendable, Hashable {
    public var en: String
    public var ru: String

    public init(en: String, ru: String) {
        self.en = en
        self.ru = ru
    }

    public subscript(locale: Language) -> String { locale == .ru ? ru : en }
}

/// One compiled rule: what it is called, what it says, and its type-checked expressions.
public struct Rule: Sendable {
    public let id: String
    /// The journal MESSAGE_ID of this rule's alerts (32 lower-case hex digits).
    public let messageID: String
    public let title: LocalizedText
    /// What the account manager should do about it.
    public let advice: LocalizedText
    /// The rule file it came from, as given to the loader.
    public let file: String
    /// The conditions as the rule file writes them (for `kamwatch explain`).
    public let conditionTexts: ConditionTexts
    /// `for:` and `keep_firing_for:`.
    public let timing: RuleTiming
    /// Evidence names, in the rule file's order.
    public var evidenceNames: [String] { evidence.map(\.name) }

    let scope: Typed?
    let definitions: [(name: String, body: Typed)]
    let when: Typed?
    let critical: Typed?
    let warning: Typed?
    let evidence: [(name: String, body: Typed)]
    /// Values the messages print: the evidence, then definitions used only by messages.
    let messageValues: [Typed]
    let messages: [Language: MessageTemplate]
}

/// A rule's conditions as written in its file; `nil` where the file has none.
public struct ConditionTexts: Sendable, Hashable {
    public var scope: String?
    public var when: String?
    public var critical: String?
    public var warning: String?
}
