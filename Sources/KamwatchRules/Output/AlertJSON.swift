import KamwatchData
import KamwatchVocabulary

/// Alerts as JSON Lines: one object per alert, keys in a fixed order.
public enum AlertJSON {
    /// One alert as a single-line JSON object: `rule`, `account_id`, `account_name`,
    /// `severity`, `message`, `evidence` (object, rule order), `owner`, `lead`.
    public static func line(_ a: Alert) -> String {
        var out: [UInt8] = []
        append(a, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Every alert on its own line, each line ending in `\n`.
    public static func lines(_ alerts: [Alert]) -> String {
        String(decoding: bytes(alerts), as: UTF8.self)
    }

    /// `lines(_:)` as UTF-8 bytes, ready to write.
    public static func bytes(_ alerts: [Alert]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(alerts.count * 400)
        for a in alerts {
            append(a, to: &out)
            out.append(0x0A)
        }
        return out
    }

    private static func append(_ a: Alert, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"rule":"#.utf8)
        JSONText.appendString(a.rule, to: &out)
        out.append(contentsOf: #","account_id":"#.utf8)
        JSONText.appendString(a.accountID, to: &out)
        out.append(contentsOf: #","account_name":"#.utf8)
        JSONText.appendString(a.accountName, to: &out)
        out.append(contentsOf: #","severity":"#.utf8)
        JSONText.appendString(a.severity.rawValue, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        JSONText.appendString(a.message, to: &out)
        out.append(contentsOf: #","evidence":{"#.utf8)
        for (i, item) in a.evidence.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONText.appendString(item.key, to: &out)
            out.append(0x3A)
            switch item.value {
            case .text(let s): JSONText.appendString(s, to: &out)
            default: out.append(contentsOf: item.value.json.utf8)
            }
        }
        out.append(contentsOf: #"},"owner":"#.utf8)
        appendOptional(a.owner, to: &out)
        out.append(contentsOf: #","lead":"#.utf8)
        appendOptional(a.lead, to: &out)
        out.append(0x7D)
    }

    private static func appendOptional(_ s: String?, to out: inout [UInt8]) {
        if let s { JSONText.appendString(s, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }
}
