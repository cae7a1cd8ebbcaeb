/// A journal field name that journald accepts: `A`–`Z`, `0`–`9`, `_`, not starting with `_`, 1–64 characters.
///
/// journald silently drops fields with any other name, so kamwatch refuses them up front.
public struct JournalFieldName: Sendable, Hashable, CustomStringConvertible {
    /// The longest name journald keeps.
    public static let maximumLength = 64

    /// The validated name.
    public let rawValue: String

    /// Validates `name`, throwing ``JournalFieldNameError`` with the reason when journald would drop it.
    public init(_ name: String) throws(JournalFieldNameError) {
        if let reason = Self.problem(in: name) {
            throw JournalFieldNameError(name: name, reason: reason)
        }
        self.rawValue = name
    }

    /// Builds a valid name from any text: upper-cased, every other character replaced by `_`, prefixed and cut to 64.
    ///
    /// Used for logger metadata keys, which are free text; `prefix` must itself be a valid name start (e.g. `KAMWATCH_`).
    public static func sanitizing(_ text: String, prefix: String) -> JournalFieldName {
        var name = prefix
        for scalar in text.unicodeScalars {
            switch scalar {
            case "A"..."Z", "0"..."9", "_": name.unicodeScalars.append(scalar)
            case "a"..."z": name.unicodeScalars.append(Unicode.Scalar(scalar.value - 32)!)
            default: name.append("_")
            }
        }
        if name.isEmpty || name.first == "_" { name = "X" + name }
        return JournalFieldName(unchecked: String(name.prefix(maximumLength)))
    }

    init(unchecked name: String) {
        self.rawValue = name
    }

    public var description: String { rawValue }

    private static func problem(in name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.utf8.count > maximumLength {
            return "is \(name.utf8.count) characters long, at most \(maximumLength) are allowed"
        }
        if name.hasPrefix("_") { return "starts with '_', which journald reserves for trusted fields" }
        if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
            return "contains '\(bad.escaped(asASCII: true))'; only A-Z, 0-9 and '_' are allowed"
        }
        return nil
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}

/// A journal field name was refused; journald would have dropped the field silently.
public struct JournalFieldNameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The refused name.
    public let name: String
    /// Why it was refused.
    public let reason: String

    public var description: String { "invalid journal field name '\(name)': it \(reason)" }
}
