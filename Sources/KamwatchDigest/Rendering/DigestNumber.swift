/// Numbers as a reader of the language writes them: 1,250,000.5 (en) or 1 250 000,5 (ru).
///
/// Written by hand so that output does not depend on the host's ICU data.
public enum DigestNumber {
    /// `value` with thousands grouped and at most `decimals` fraction digits (trailing zeros dropped).
    public static func format(_ value: Double, language: DigestLanguage, decimals: Int = 2) -> String {
        guard value.isFinite else { return value.isNaN ? "—" : (value > 0 ? "∞" : "−∞") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int64(scaled)
        let whole = units / Int64(scale)
        var fraction = String(units % Int64(scale))
        fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }

        let (group, point) = language == .ru ? ("\u{00A0}", ",") : (",", ".")
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = group + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        let sign = value < 0 && units != 0 ? "−" : ""
        return sign + grouped + (fraction.isEmpty ? "" : point + fraction)
    }
}
