import Foundation
import KamwatchRules
import KamwatchVocabulary
import Yams

/// Reads typed values out of config nodes, turning every mismatch into a located `InputIssue`.
struct ConfigReader {
    let file: String

    func error(_ node: Node, _ reason: String) -> InputIssue {
        InputIssue(file: file, line: node.mark?.line, column: node.mark.map { String($0.column) }, reason: reason)
    }

    /// The key/value pairs of a mapping, keys as plain strings, duplicates refused.
    func mapping(_ node: Node, what: String) throws(InputIssue) -> [(key: Key, value: Node)] {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping of keys to values") }
        var seen = Set<String>()
        var out: [(key: Key, value: Node)] = []
        for (k, v) in mapping {
            guard let s = k.scalar?.string else { throw error(k, "a key must be plain text") }
            guard seen.insert(s).inserted else { throw error(k, "duplicate key '\(s)'") }
            out.append((Key(string: s, node: k), v))
        }
        return out
    }

    func unknownKey(_ key: Key, known: [String], in section: String? = nil) -> InputIssue {
        let place = section.map { " in '\($0)'" } ?? ""
        return error(key.node, "unknown key '\(key.string)'\(place); expected one of: " + known.joined(separator: ", "))
    }

    func string(_ node: Node, key: Key) throws(InputIssue) -> String {
        guard let scalar = node.scalar else { throw error(node, "'\(key.string)' must be a single value") }
        return scalar.string
    }

    func path(_ node: Node, key: Key) throws(InputIssue) -> String {
        let s = try string(node, key: key)
        guard !s.isEmpty else { throw error(node, "'\(key.string)' must not be empty") }
        return s
    }

    func timezone(_ node: Node, key: Key) throws(InputIssue) -> String {
        let s = try string(node, key: key)
        guard TimeZone.knownTimeZoneIdentifiers.contains(s) || (s == "UTC" && TimeZone(identifier: s) != nil) else {
            throw error(node, "unknown time zone '\(s)'; expected an IANA name such as Europe/Moscow or UTC")
        }
        return s
    }

    func locale(_ node: Node, key: Key) throws(InputIssue) -> Language {
        let s = try string(node, key: key)
        guard let l = Language(rawValue: s) else { throw error(node, "unknown locale '\(s)'; expected ru or en") }
        return l
    }

    func duration(_ node: Node, key: Key) throws(InputIssue) -> Duration {
        let s = try string(node, key: key)
        guard let d = DurationText.parse(s) else {
            throw error(
                node,
                "invalid duration '\(s)' for '\(key.string)'; expected a number with ms, s, m, h or d, such as 2s or 500ms"
            )
        }
        return d
    }

    /// A share written as a percentage, `1%` or `0.5%`, as a fraction (0.01).
    func percentage(_ node: Node, key: Key) throws(InputIssue) -> Double {
        let s = try string(node, key: key).trimmingCharacters(in: .whitespaces)
        guard s.hasSuffix("%"), let v = Double(s.dropLast()), v.isFinite, v >= 0, v <= 100 else {
            throw error(node, "invalid share '\(s)' for '\(key.string)'; expected a percentage such as 1% or 0.5%")
        }
        return v / 100
    }

    func bool(_ node: Node, key: Key) throws(InputIssue) -> Bool {
        let s = try string(node, key: key)
        switch s {
        case "true": return true
        case "false": return false
        default: throw error(node, "'\(key.string)' must be true or false, not '\(s)'")
        }
    }

    func address(_ node: Node, key: Key) throws(InputIssue) -> String {
        let s = try string(node, key: key)
        guard let at = s.firstIndex(of: "@"), at != s.startIndex, s.index(after: at) != s.endIndex,
            !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
        else { throw error(node, "'\(key.string)' must be an e-mail address such as name@example.com, not '\(s)'") }
        return s
    }

    func deliveryMode(_ node: Node, key: Key) throws(InputIssue) -> DigestDeliveryMode {
        let s = try string(node, key: key)
        guard let mode = DigestDeliveryMode(rawValue: s) else {
            throw error(node, "'\(key.string)' must be files or sendmail, not '\(s)'")
        }
        return mode
    }

    /// A command as a list: an absolute program path, then its arguments (no shell).
    func command(_ node: Node, key: Key) throws(InputIssue) -> [String] {
        guard let sequence = node.sequence, !sequence.isEmpty else {
            throw error(
                node,
                "'\(key.string)' must be a list: the program, then its arguments, such as [/usr/sbin/sendmail, -t, -oi]"
            )
        }
        var out: [String] = []
        for item in sequence {
            guard let scalar = item.scalar else {
                throw error(item, "each item of '\(key.string)' must be a single value")
            }
            out.append(scalar.string)
        }
        guard out[0].hasPrefix("/") else {
            throw error(sequence[0], "the program of '\(key.string)' must be an absolute path, not '\(out[0])'")
        }
        return out
    }

    /// A mapping key and where it is.
    struct Key {
        var string: String
        var node: Node
    }
}
