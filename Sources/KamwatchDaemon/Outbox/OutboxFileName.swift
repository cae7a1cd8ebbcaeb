import Foundation
import KamwatchVocabulary

/// Names of alert files: `<seq>-<time>-<rule>-<account>.json`, e.g.
/// `000000000042-20261126T162233.123Z-discount-creep-ACME-7.json`.
///
/// The seq comes first, zero-padded to 12 digits, so names sort in the order transitions were
/// recorded (which is their time order); it also makes every name unique.
public enum OutboxFileName {
    /// Digits of the zero-padded seq.
    public static let seqWidth = 12
    /// The longest a rule id or account id may take in a name.
    public static let partLimit = 64

    /// The file name of transition `seq`.
    public static func name(seq: Int64, time: Date, rule: String, accountID: String) -> String {
        "\(seqPrefix(seq))-\(RFC3339.compact(time))-\(sanitize(rule))-\(sanitize(accountID)).json"
    }

    /// `000000000042`: the start of every name of transition 42.
    public static func seqPrefix(_ seq: Int64) -> String {
        let s = String(seq)
        return String(repeating: "0", count: max(0, seqWidth - s.count)) + s
    }

    /// The seq a name starts with, or `nil` for names kamwatch did not write.
    public static func seq(of name: String) -> Int64? {
        guard name.hasSuffix(".json"), !name.hasPrefix("."), let dash = name.firstIndex(of: "-") else { return nil }
        let digits = name[..<dash]
        guard digits.count == seqWidth || digits.count > seqWidth, digits.allSatisfy(\.isASCII) else { return nil }
        return Int64(digits)
    }

    /// Keeps `[A-Za-z0-9._-]`, turns anything else into `_`, caps the length and never yields
    /// `..`, a leading dot or an empty part: an id can never reach outside the directory.
    public static func sanitize(_ text: String) -> String {
        var out = ""
        var count = 0
        var previousDot = false
        for u in text.unicodeScalars {
            guard count < partLimit else { break }
            var c: Character
            switch u {
            case "A"..."Z", "a"..."z", "0"..."9", "-", "_": c = Character(u)
            case ".": c = (previousDot || count == 0) ? "_" : "."
            default: c = "_"
            }
            previousDot = c == "."
            out.append(c)
            count += 1
        }
        return out.isEmpty ? "_" : out
    }
}
