import KamwatchVocabulary

/// A recipient's e-mail address, checked so it is safe in a header and as a file name.
public struct LeadAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The address, lower-cased (leads are grouped case-insensitively).
    public let value: String

    /// Accepts a plain `local@domain` address of printable ASCII without header specials;
    /// `nil` for anything else (display names, spaces, line breaks, non-ASCII).
    public init?(_ text: String) {
        let trimmed = text.trimmingASCIIWhitespace()
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, trimmed.utf8.count <= 254 else { return nil }
        let localOK = parts[0].utf8.allSatisfy { LeadAddress.localBytes.contains($0) }
        let domainOK = parts[1].utf8.allSatisfy { LeadAddress.domainBytes.contains($0) }
        guard localOK, domainOK, !parts[0].hasPrefix("."), !parts[0].hasSuffix("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !trimmed.contains("..")
        else { return nil }
        value = trimmed.lowercased()
    }

    public var description: String { value }

    public static func < (a: LeadAddress, b: LeadAddress) -> Bool { a.value < b.value }

    /// The file name of this lead's digest: only `[A-Za-z0-9@._+-]`, never `/`, never a leading dot.
    public var fileName: String { LeadAddress.sanitizedFileStem(value) + ".eml" }

    /// Replaces every byte outside `[A-Za-z0-9@._+-]` by `_`, collapses `..` and
    /// keeps the name from starting with a dot, so it cannot leave its folder or hide.
    public static func sanitizedFileStem(_ text: String) -> String {
        var bytes = text.utf8.map { fileBytes.contains($0) ? $0 : UInt8(ascii: "_") }
        var out: [UInt8] = []
        for b in bytes {
            if b == UInt8(ascii: "."), out.last == UInt8(ascii: ".") { continue }
            out.append(b)
        }
        bytes = out
        if bytes.first == UInt8(ascii: ".") { bytes[0] = UInt8(ascii: "_") }
        if bytes.isEmpty { bytes = [UInt8(ascii: "_")] }
        return String(decoding: bytes.prefix(200), as: UTF8.self)
    }

    private static let alnum = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8))
    // RFC 5322 atext, without the characters that would need quoting in a file name or shell.
    private static let localBytes = alnum.union("!#$%&'*+-/=?^_`{|}~.".utf8)
    private static let domainBytes = alnum.union("-.".utf8)
    private static let fileBytes = alnum.union("@._+-".utf8)
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let ws: Set<Character> = [" ", "\t", "\r", "\n"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s = s.dropFirst() }
        while let l = s.last, ws.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
