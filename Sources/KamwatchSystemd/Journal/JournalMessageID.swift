/// A 128-bit journal `MESSAGE_ID`, written as 32 lower-case hex digits (the form catalogs and `journalctl` use).
public struct JournalMessageID: Sendable, Hashable, CustomStringConvertible {
    /// The 32 lower-case hex digits.
    public let rawValue: String

    /// Parses 32 hex digits, also in UUID form with dashes; `nil` for anything else.
    public init?(_ text: String) {
        // Already in its own form (as rule files give it): taken as it is.
        if text.utf8.count == 32, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) {
            self.rawValue = text
            return
        }
        let digits = text.lowercased().filter { $0 != "-" }
        guard digits.utf8.count == 32,
            digits.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        self.rawValue = digits
    }

    /// Parses like ``init(_:)``, throwing an error that names the bad text.
    public init(validating text: String) throws(JournalMessageIDError) {
        guard let id = JournalMessageID(text) else { throw JournalMessageIDError(text: text) }
        self = id
    }

    public var description: String { rawValue }

    /// The daemon's own diagnostics: reloads, bad rows, errors.
    public static let kamwatchDiagnostics = JournalMessageID("cac11b3565754bf8950e42e6a175a66e")!
}

/// A `MESSAGE_ID` was not 32 hex digits.
public struct JournalMessageIDError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The refused text.
    public let text: String

    public var description: String { "invalid journal MESSAGE_ID '\(text)': expected 32 hex digits" }
}
