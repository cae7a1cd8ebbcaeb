/// A text in each language kamwatch writes: a rule's title, advice, evidence label, or an
/// alert's message. Its `Codable` form is `{"en": …, "ru": …}`.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var en: String
    public var ru: String

    public init(en: String, ru: String) {
        self.en = en
        self.ru = ru
    }

    public subscript(language: Language) -> String { language == .ru ? ru : en }
}
