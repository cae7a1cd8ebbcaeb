/// CLDR plural category of a whole number, for the languages kamwatch speaks.
public enum PluralCategory: String, Sendable, Hashable {
    case one
    case few
    case many
    case other

    /// The category of `n` in `language` (Russian: 1 день, 2 дня, 5 дней, 21 день, 11 дней).
    public static func of(_ n: Int, in language: Language) -> PluralCategory {
        switch language {
        case .en:
            return n == 1 ? .one : .other
        case .ru:
            let mod10 = abs(n) % 10
            let mod100 = abs(n) % 100
            if mod10 == 1 && mod100 != 11 { return .one }
            if (2...4).contains(mod10) && !(12...14).contains(mod100) { return .few }
            return .many
        }
    }
}
