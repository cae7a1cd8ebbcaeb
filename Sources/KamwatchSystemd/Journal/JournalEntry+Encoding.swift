extension JournalEntry {
    /// The entry as journald's native protocol wants it: one `NAME=value` byte string per field.
    ///
    /// Values keep their newlines and any other bytes; `sd_journal_sendv` switches to the binary
    /// field encoding by itself when a value holds a newline.
    public var encodedFields: [[UInt8]] {
        allFields.map { field in
            var bytes = Array(field.name.rawValue.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: field.value)
            return bytes
        }
    }
}
