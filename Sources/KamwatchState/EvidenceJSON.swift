import Foundation
import KamwatchRules

/// Ordered evidence ⇄ a flat JSON object (`{"n":1,"event":"merger"}`), keys kept in order.
public enum EvidenceJSON {
    /// The evidence as one JSON object, keys in the given order.
    public static func encode(_ evidence: [(key: String, value: EvidenceValue)]) -> String {
        var out = "{"
        for (i, item) in evidence.enumerated() {
            if i > 0 { out += "," }
            out += quote(item.key) + ":" + encode(item.value)
        }
        return out + "}"
    }

    /// One value as JSON: integral numbers without a fraction, non-finite numbers as `null`.
    public static func encode(_ value: EvidenceValue) -> String {
        switch value {
        case .number(let d): number(d)
        case .text(let s): quote(s)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// Decodes what `encode` wrote; anything that is not a flat JSON object gives `[]`.
    public static func decode(_ json: String) -> [(key: String, value: EvidenceValue)] {
        var parser = FlatJSONParser(json)
        return parser.parseObject() ?? []
    }
}
