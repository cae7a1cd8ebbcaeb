import Foundation
import KamwatchVocabulary

/// Header fields as RFC 5322 and RFC 2047 want them: ASCII only, folded, at most 78 octets a line.
public enum HeaderEncoding {
    /// The longest line we write (RFC 5322 §2.1.1 recommends 78, excluding CRLF).
    static let lineLimit = 78

    /// `Name: value` with CRLF line breaks, folded; a value that is not plain ASCII
    /// becomes UTF-8 `B` encoded-words split at character boundaries.
    public static func field(_ name: String, _ value: String) -> String {
        let clean = spacingLineBreaks(value)
        if clean.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) && !clean.contains("=?") {
            return foldPlain(name + ": " + clean)
        }
        return name + ": " + encodedWords(clean, firstLineUsed: name.utf8.count + 2).joined(separator: "\r\n ")
    }

    /// Folds an ASCII header line at spaces so no line exceeds the limit where possible.
    static func foldPlain(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        for (i, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if i == 0 {
                current = String(word)
            } else if current.utf8.count + 1 + word.utf8.count > lineLimit && !current.isEmpty {
                lines.append(current)
                current = " " + word
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 `=?utf-8?B?…?=` words, each ≤ 75 octets, the first fitting after `firstLineUsed` octets.
    public static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        let overhead = "=?utf-8?B??=".utf8.count
        var words: [String] = []
        var chunk: [UInt8] = []
        func capacity() -> Int {
            // A word must fit its line: the first after the field name, the others after one space.
            let room = words.isEmpty ? lineLimit - firstLineUsed : lineLimit - 1
            return max(3, (min(75, room) - overhead) / 4 * 3)
        }
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append("=?utf-8?B?" + Base64.encode(chunk) + "?=")
            chunk = []
        }
        // Split between characters, never inside one UTF-8 sequence (RFC 2047 §5).
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > capacity() { flush() }
            chunk += bytes
        }
        flush()
        return words.isEmpty ? ["=?utf-8?B??="] : words
    }

    /// `Name: mailbox` for `From` and `To`: the value as `mailbox(_:)` makes it, folded at
    /// spaces. Its encoded words are kept as they are, so the address is never encoded (as
    /// `field` would do with a value holding `=?`); CR and LF become spaces.
    public static func mailboxField(_ name: String, _ text: String) -> String {
        foldPlain(name + ": " + mailbox(spacingLineBreaks(text)))
    }

    /// Every CR and LF as a space, scalar by scalar. A search for `"\n"` compares characters
    /// the way `NSString` does and misses a line break followed by a combining mark (`"\n\u{301}"`),
    /// which would leave a bare line break in the header.
    static func spacingLineBreaks(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(scalar == "\r" || scalar == "\n" ? " " : scalar) }
        return String(scalars)
    }

    /// A `From`/`To` value: a bare address, or `Name <address>` with the name encoded when needed.
    public static func mailbox(_ text: String) -> String {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else { return trimmed }
        let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var name = String(trimmed[..<open]).trimmingASCIIWhitespace()
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
        if name.isEmpty { return address }
        if !name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return encodedWords(name, firstLineUsed: 6).joined(separator: " ") + " <\(address)>"
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\" <\(address)>"
    }
}
