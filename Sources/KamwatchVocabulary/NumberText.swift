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
