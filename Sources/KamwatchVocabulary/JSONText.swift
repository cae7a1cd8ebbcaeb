/// JSON text written by hand on the hot paths (alerts, parsed rows, evidence), where
/// `JSONEncoder` would cost an allocation per value and reorder object keys.
public enum JSONText {
    /// Appends `s` as a JSON string literal; non-ASCII text is kept as UTF-8.
    public static func appendString(_ s: String, to out: inout String) {
        out += "\""
        // Most text needs no escaping: append it whole. (0xE2 leads U+2028 and U+2029,
        // which JavaScript does not accept raw inside a string.)
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u == "\u{2028}" || u == "\u{2029}" {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// Appends `s` as a JSON string literal to UTF-8 bytes, as `appendString(_:to:)` does to text.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { utf8 in
            out.append(0x22)
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
                out.append(contentsOf: utf8)
            } else {
                var escaped = ""
                appendString(String(decoding: utf8, as: UTF8.self), to: &escaped)
                out.append(contentsOf: escaped.utf8.dropFirst().dropLast())
            }
            out.append(0x22)
        }
    }

    /// `s` as a JSON string literal.
    public static func quote(_ s: String) -> String {
        var out = ""
        appendString(s, to: &out)
        return out
    }
}
