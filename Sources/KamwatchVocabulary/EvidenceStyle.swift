/// How people read one evidence value: what a rule file says under `label:` and `format:`.
public struct EvidenceStyle: Sendable, Hashable {
    /// The value's name for people (`Revenue share`, `Доля выручки`); `nil` shows the key.
    public var label: LocalizedText?
    /// How its value is written; `nil` writes it as it is.
    public var format: EvidenceFormat?

    public init(label: LocalizedText? = nil, format: EvidenceFormat? = nil) {
        self.label = label
        self.format = format
    }

    /// The label (or the key, without one) and the value in `language`: (`Доля выручки`, `22,3 %`).
    public func text(key: String, value: EvidenceValue, language: Language) -> (label: String, value: String) {
        (label?[language] ?? key, NumberText.evidence(value, format: format, language: language))
    }
}

/// The formats an evidence value can be written in (`format:` in a rule file).
public enum EvidenceFormat: String, Sendable, Hashable, CaseIterable {
    /// A fraction shown in percent: 0.223 → `22.3%`, `22,3 %`.
    case percent
    /// A number already in percent: 17 → `17.0%`, `17,0 %`.
    case inPercent = "in_percent"
    /// Percentage points: 5.2 → `5.2 pp`, `5,2 п. п.`.
    case points
    /// An amount of money, in whole units, thousands grouped: `1,250,000`.
    case money
    /// A whole number, thousands grouped.
    case count
    /// A plain number, up to 2 decimals.
    case number
    /// A day (`YYYY-MM-DD`), written as the language writes dates.
    case date
    /// A number of days: `45 days`, `45 дней`.
    case days
}
