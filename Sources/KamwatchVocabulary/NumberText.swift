/// Number printing without Foundation formatters: stable across platforms and fast.
public enum NumberText {
    /// A number for JSON: integers without a fraction, others rounded to 4 decimals
    /// (trailing zeros dropped); non-finite values are `null`.
    public static func json(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 9e15 { return String(Int64(v)) }
        let r = (v * 10_000).rounded() / 10_000
        if r == r.rounded(), abs(r) < 9e15 { return String(Int64(r)) }
        return "\(r)"
    }

    /// A number for a person, as a reader of `language` writes it: `1,250,000.5` (en) or
    /// `1 250 000,5` (ru, with no-break spaces); the minus sign is always `-`.
    ///
    /// `decimals` fraction digits, trailing zeros dropped when `trimZeros`; thousands grouped
    /// when `grouped`. Written by hand so that output does not depend on the host's ICU data.
    public static func format(
        _ value: Double, decimals: Int = 2, trimZeros: Bool = true, grouped: Bool = true, language: Language
    ) -> String {
        guard value.isFinite else { return value.isNaN ? "—" : (value > 0 ? "∞" : "-∞") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var fraction = decimals > 0 ? String(units % Int64(scale)) : ""
        fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        if trimZeros { while fraction.hasSuffix("0") { fraction.removeLast() } }

        let (group, point) = language == .ru ? ("\u{00A0}", ",") : (",", ".")
        var digits = String(whole)
        var text = ""
        if grouped {
            while digits.count > 3 {
                text = group + digits.suffix(3) + text
                digits.removeLast(3)
            }
        }
        text = digits + text
        let sign = value < 0 && units != 0 ? "-" : ""
        return sign + text + (fraction.isEmpty ? "" : point + fraction)
    }
}

extension NumberText {
    /// An evidence value for a person in `language`, in `format` (see `EvidenceFormat`); without
    /// one, amounts are read in whole units and shares below 1 keep a third decimal.
    public static func evidence(_ value: EvidenceValue, format: EvidenceFormat?, language: Language) -> String {
        switch value {
        case .null: return "—"
        case .bool(let b): return b ? "✓" : "✗"
        case .text(let s):
            guard format == .date, let day = Day(iso: s) else { return s }
            return date(day, language: language)
        case .number(let d):
            let nbsp = "\u{00A0}"
            switch format {
            case .percent, .inPercent:
                return Self.format(format == .percent ? d * 100 : d, decimals: 1, trimZeros: false, language: language)
                    + (language == .ru ? nbsp + "%" : "%")
            case .points:
                return Self.format(d, decimals: 1, trimZeros: false, language: language)
                    + (language == .ru ? nbsp + "п.\(nbsp)п." : nbsp + "pp")
            case .money, .count:
                return Self.format(d, decimals: 0, language: language)
            case .days:
                let n = Self.format(d, decimals: 0, language: language)
                let whole = d.isFinite && abs(d) < 1e15 ? Int(d.rounded()) : 0
                return n + nbsp + days(whole, language: language)
            case .number, .date:
                return Self.format(d, decimals: 2, language: language)
            case nil:
                return Self.format(d, decimals: abs(d) >= 1000 ? 0 : abs(d) < 1 ? 3 : 2, language: language)
            }
        }
    }

    /// A day as `language` writes it: `2024-05-17` (en), `17.05.2024` (ru).
    public static func date(_ day: Day, language: Language) -> String {
        language == .ru ? day.dotted : day.description
    }

    /// The word for `n` days: `day`/`days`, `день`/`дня`/`дней`.
    static func days(_ n: Int, language: Language) -> String {
        switch PluralCategory.of(n, in: language) {
        case .one: language == .ru ? "день" : "day"
        case .few: "дня"
        case .many: language == .ru ? "дней" : "days"
        case .other: "days"
        }
    }
}
