import KamwatchVocabulary

/// The JSON text of an alert's structured columns (`evidence`, `messages`) exactly as GRDB's
/// `Codable` encoding stores them (`JSONEncoder`, sorted keys): written by hand for the
/// transition log's inserts, where tens of thousands of rows go in at a first start.
enum StoredJSON {
    /// `[["name",value],…]`: `Evidence`'s `Codable` form.
    static func evidence(_ evidence: Evidence) -> String {
        var out = "["
        for (i, entry) in evidence.entries.enumerated() {
            if i > 0 { out += "," }
            out += "["
            appendString(entry.key, to: &out)
            out += ","
            switch entry.value {
            case .number(let d) where d.isFinite: out += number(d)
            case .number, .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .text(let s): appendString(s, to: &out)
            }
            out += "]"
        }
        return out + "]"
    }

    /// `{"en":…,"ru":…}`: `LocalizedText`'s `Codable` form, keys sorted.
    static func localized(_ text: LocalizedText) -> String {
        var out = "{\"en\":"
        appendString(text.en, to: &out)
        out += ",\"ru\":"
        appendString(text.ru, to: &out)
        return out + "}"
    }

    /// A finite double as `JSONEncoder` writes it: its shortest form, without a `.0`.
    static func number(_ d: Double) -> String {
        let text = d.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// A string literal as `JSONEncoder` writes it: `/` escaped too, other text kept as UTF-8.
    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x2F }) {
            out += s
            out += "\""
            return
        }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
