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
        name(seq: seq, stamp: RFC3339.compact(time), rule: rule, accountID: accountID)
    }

    /// As `name(seq:time:rule:accountID:)`, the time already written by `RFC3339.compact` (the
    /// transitions of one evaluation share it: a first start names tens of thousands of files).
    public static func name(seq: Int64, stamp: String, rule: String, accountID: String) -> String {
        let rule = sanitize(rule)
        let account = sanitize(accountID)
        var out = seqPrefix(seq)
        out.reserveCapacity(seqWidth + stamp.utf8.count + rule.utf8.count + account.utf8.count + 8)
        out += "-"
        out += stamp
        out += "-"
        out += rule
        out += "-"
        out += account
        out += ".json"
        return out
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
        // The usual id (short, plain ASCII, no dot first or twice in a row) stays as it is.
        if isSafe(text.utf8) { return text }
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

    /// Whether `sanitize` would return `bytes` unchanged: 1 to `partLimit` bytes of
    /// `[A-Za-z0-9._-]`, no dot first and none after a dot.
    private static func isSafe(_ bytes: String.UTF8View) -> Bool {
        guard !bytes.isEmpty, bytes.count <= partLimit else { return false }
        var previous: UInt8 = UInt8(ascii: ".")
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                break
            case UInt8(ascii: "."):
                if previous == UInt8(ascii: ".") { return false }
            default:
                return false
            }
            previous = b
        }
        return true
    }
}
