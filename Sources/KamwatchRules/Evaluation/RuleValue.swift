import KamwatchData
import KamwatchVocabulary

/// A computed value of a rule (evidence or a message placeholder).
enum RuleValue: Sendable, Equatable {
    /// Numbers and durations (in days).
    case number(Double)
    case day(Int32)
    case text(String)
    case bool(Bool)
    case null

    /// The value as alert evidence; dates become `YYYY-MM-DD` text.
    var evidence: EvidenceValue {
        switch self {
        case .number(let v): v.isFinite ? .number(v) : .null
        case .day(let d): .text(Day(ordinal: d).description)
        case .text(let s): .text(s)
        case .bool(let b): .bool(b)
        case .null: .null
        }
    }

    /// The value as a person reads it in a message.
    func formatted(_ style: NumberStyle, locale: Language) -> String {
        switch self {
        case .null: return "—"
        case .text(let s): return s
        case .bool(let b): return locale == .ru ? (b ? "да" : "нет") : (b ? "yes" : "no")
        case .day(let d):
            return locale == .ru ? Day(ordinal: d).dotted : Day(ordinal: d).description
        case .number(let v):
            guard v.isFinite else { return "—" }
            return NumberText.format(
                style.percent ? v * 100 : v, decimals: style.decimals ?? 2, trimZeros: style.decimals == nil,
                grouped: style.grouped, language: locale)
                + (style.percent ? "%" : "")
        }
    }
}
