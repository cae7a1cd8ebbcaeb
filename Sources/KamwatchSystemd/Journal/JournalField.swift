/// One `NAME=value` pair of a journal entry; the value may hold any bytes, newlines included.
public struct JournalField: Sendable, Hashable {
    /// The validated field name.
    public let name: JournalFieldName
    /// The raw value; journald stores it as given.
    public let value: [UInt8]

    /// A field with a text value; throws when journald would drop `name`.
    public init(_ name: String, _ value: String) throws(JournalFieldNameError) {
        self.init(name: try JournalFieldName(name), bytes: Array(value.utf8))
    }

    /// A field with a binary value.
    public init(name: JournalFieldName, bytes: [UInt8]) {
        self.name = name
        self.value = bytes
    }

    /// A field with a text value under an already validated name.
    public init(name: JournalFieldName, value: String) {
        self.init(name: name, bytes: Array(value.utf8))
    }

    /// The value decoded as UTF-8 (invalid sequences repaired).
    public var stringValue: String { String(decoding: value, as: UTF8.self) }
}
