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

    /// A number for a person: fixed or at most 2 decimals, optional thousands groups,
    /// `.` or `,` as the decimal mark by locale.
    static func format(_ v: Double, style: NumberStyle, locale: MessageLocale) -> String {
        guard abs(v) < 1e15 else { return "\(v)" }
        let decimals = style.decimals ?? 2
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        let whole = Int64(scaled / scale)
        var frac = Int64(scaled - Double(whole) * scale)
        var fracDigits = decimals
        var fracText = ""
        if decimals > 0 {
            if style.decimals == nil {
                while fracDigits > 0, frac % 10 == 0 {
                    frac /= 10
                    fracDigits -= 1
                }
            }
            if fracDigits > 0 {
                let s = String(frac)
                fracText = String(repeating: "0", count: fracDigits - s.count) + s
            }
        }
        var wholeText = String(whole)
        if style.grouped, wholeText.count > 3 {
            let sep = locale == .ru ? "\u{00A0}" : ","
            var groups: [Substring] = []
            var rest = Substring(wholeText)
            while rest.count > 3 {
                groups.insert(rest.suffix(3), at: 0)
                rest = rest.dropLast(3)
            }
            groups.insert(rest, at: 0)
            wholeText = groups.joined(separator: sep)
        }
        let isZero = whole == 0 && frac == 0
        let sign = v < 0 && !isZero ? "-" : ""
        let mark = locale == .ru ? "," : "."
        return sign + wholeText + (fracText.isEmpty ? "" : mark + fracText)
    }
}
