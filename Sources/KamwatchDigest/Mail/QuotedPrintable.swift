import Foundation
import KamwatchVocabulary

/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: lines of at most 76 octets, CRLF breaks.
public enum QuotedPrintable {
    static let lineLimit = 76

    /// Encodes `text` (line breaks `\n` or `\r\n`) as quoted-printable lines joined by CRLF.
    ///
    /// Besides what the RFC requires, a `.` or `F` starting a line is encoded, so the result is
    /// safe to pipe to `sendmail` (a lone `.` ends input) and through mbox (`From ` lines).
    public static func encode(_ text: String) -> String {
        // Split by bytes: a search by characters misses a line break followed by a combining mark.
        var out: [String] = []
        for line in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
            out.append(contentsOf: encodeLine(Array(line.last == 0x0D ? line.dropLast() : line)))
        }
        return out.joined(separator: "\r\n")
    }

    /// One hard line, split into soft lines ending in `=`.
    static func encodeLine(_ bytes: [UInt8]) -> [String] {
        // Tokens: each byte literal or as =XX, never split.
        var tokens: [String] = []
        tokens.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() {
            let last = i == bytes.count - 1
            let literal: Bool
            switch b {
            case UInt8(ascii: "="): literal = false
            case 0x20, 0x09: literal = !last  // trailing white space would be stripped in transit
            case UInt8(ascii: "."), UInt8(ascii: "F"): literal = i != 0
            case 0x21...0x7E: literal = true
            default: literal = false
            }
            tokens.append(literal ? String(UnicodeScalar(b)) : hex(b))
        }
        var lines: [String] = []
        var current = ""
        for (i, token) in tokens.enumerated() {
            let isLastToken = i == tokens.count - 1
            // A soft break costs one `=`, so a line that continues holds at most 75 octets.
            let limit = isLastToken ? lineLimit : lineLimit - 1
            if current.utf8.count + token.utf8.count > limit {
                lines.append(current + "=")
                current = ""
            }
            current += token
        }
        lines.append(current)
        return lines
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 0x0F)])
    }
}
