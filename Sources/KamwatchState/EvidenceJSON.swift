import Foundation
import KamwatchData
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

    /// As `kamwatch check --format json` prints numbers (at most 4 decimals), so that sums
    /// of money do not show binary noise such as `12461974.620000001`.
    static func number(_ d: Double) -> String { NumberText.json(d) }

    /// A JSON string literal.
    public static func quote(_ s: String) -> String { JSONText.quote(s) }

    /// Decodes what `encode` wrote; anything that is not a flat JSON object gives `[]`.
    public static func decode(_ json: String) -> [(key: String, value: EvidenceValue)] {
        var parser = FlatJSONParser(json)
        return parser.parseObject() ?? []
    }
}
