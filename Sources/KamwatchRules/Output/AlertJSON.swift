import KamwatchData

/// Alerts as JSON Lines: one object per alert, keys in a fixed order.
public enum AlertJSON {
    /// One alert as a single-line JSON object: `rule`, `account_id`, `account_name`,
    /// `severity`, `message`, `evidence` (object, rule order), `owner`, `lead`.
    public static func line(_ a: Alert) -> String {
        var out = "{\"rule\":"
        appendString(a.rule, to: &out)
        out += ",\"account_id\":"
        appendString(a.accountID, to: &out)
        out += ",\"account_name\":"
        appendString(a.accountName, to: &out)
        out += ",\"severity\":\"\(a.severity.rawValue)\",\"message\":"
        appendString(a.message, to: &out)
        out += ",\"evidence\":" + evidence(a.evidence)
        out += ",\"owner\":"
        appendOptional(a.owner, to: &out)
        out += ",\"lead\":"
        appendOptional(a.lead, to: &out)
        out += "}"
        return out
    }

    /// Every alert on its own line, each line ending in `\n`.
    public static func lines(_ alerts: [Alert]) -> String {
        var out = ""
        for a in alerts {
            out += line(a)
            out += "\n"
        }
        return out
    }

    /// Evidence as a JSON object, keys in the given order.
    public static func evidence(_ items: [(key: String, value: EvidenceValue)]) -> String {
        var out = "{"
        for (i, item) in items.enumerated() {
            if i > 0 { out += "," }
            appendString(item.key, to: &out)
            out += ":" + value(item.value)
        }
        return out + "}"
    }

    /// One evidence value as JSON (numbers as `NumberText.json`).
    public static func value(_ v: EvidenceValue) -> String {
        switch v {
        case .number(let n): return NumberText.json(n)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .text(let s):
            var out = ""
            appendString(s, to: &out)
            return out
        }
    }

    private static func appendOptional(_ s: String?, to out: inout String) {
        if let s { appendString(s, to: &out) } else { out += "null" }
    }

    /// A JSON string literal; non-ASCII text is kept as UTF-8.
    static func appendString(_ s: String, to out: inout String) {
        JSONText.appendString(s, to: &out)
    }
}
