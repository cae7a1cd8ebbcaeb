/// One structured journal entry: the standard fields plus kamwatch's own, in the order they were added.
public struct JournalEntry: Sendable, Hashable {
    /// Where in the source an entry was made; sent as `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`.
    public struct SourceLocation: Sendable, Hashable {
        public var file: String
        public var line: UInt
        public var function: String

        public init(file: String, line: UInt, function: String) {
            self.file = file
            self.line = line
            self.function = function
        }
    }

    /// `MESSAGE`: the human-readable text; may span lines.
    public var message: String
    /// `PRIORITY`.
    public var priority: JournalPriority
    /// `MESSAGE_ID`, which the journal catalog explains.
    public var messageID: JournalMessageID?
    /// `SYSLOG_IDENTIFIER`, what `journalctl -t` selects on.
    public var syslogIdentifier: String?
    /// Further fields, in order; a name may repeat (journald keeps every value).
    public private(set) var fields: [JournalField]
    /// The call site, or `nil` to send no `CODE_*` fields.
    public var location: SourceLocation?

    /// The identifier kamwatch logs under.
    public static let kamwatchIdentifier = "kamwatch"

    /// An entry; the location defaults to the caller's.
    public init(
        message: String,
        priority: JournalPriority,
        messageID: JournalMessageID? = nil,
        syslogIdentifier: String? = JournalEntry.kamwatchIdentifier,
        fields: [JournalField] = [],
        file: String = #fileID,
        line: UInt = #line,
        function: String = #function
    ) {
        self.message = message
        self.priority = priority
        self.messageID = messageID
        self.syslogIdentifier = syslogIdentifier
        self.fields = fields
        self.location = SourceLocation(file: file, line: line, function: function)
    }

    /// Appends a text field; throws when journald would drop `name`.
    public mutating func append(_ name: String, _ value: String) throws(JournalFieldNameError) {
        fields.append(try JournalField(name, value))
    }

    /// Appends a field whose name is already validated.
    public mutating func append(_ field: JournalField) {
        fields.append(field)
    }

    /// The first value of a field by name, standard fields included (`MESSAGE`, `PRIORITY`, …).
    public subscript(name: String) -> String? {
        allFields.first { $0.name.rawValue == name }?.stringValue
    }

    /// Every value of a field by name, in order.
    public func values(of name: String) -> [String] {
        allFields.filter { $0.name.rawValue == name }.map(\.stringValue)
    }

    /// Everything that is sent, standard fields first: what journald receives, minus its own trusted fields.
    public var allFields: [JournalField] {
        var result: [JournalField] = [
            JournalField(name: .message, value: message),
            JournalField(name: .priority, value: String(priority.rawValue)),
        ]
        if let messageID { result.append(JournalField(name: .messageID, value: messageID.rawValue)) }
        if let syslogIdentifier { result.append(JournalField(name: .syslogIdentifier, value: syslogIdentifier)) }
        if let location {
            result.append(JournalField(name: .codeFile, value: location.file))
            result.append(JournalField(name: .codeLine, value: String(location.line)))
            result.append(JournalField(name: .codeFunction, value: location.function))
        }
        return result + fields
    }
}

extension JournalFieldName {
    static let message = JournalFieldName(unchecked: "MESSAGE")
    static let priority = JournalFieldName(unchecked: "PRIORITY")
    static let messageID = JournalFieldName(unchecked: "MESSAGE_ID")
    static let syslogIdentifier = JournalFieldName(unchecked: "SYSLOG_IDENTIFIER")
    static let codeFile = JournalFieldName(unchecked: "CODE_FILE")
    static let codeLine = JournalFieldName(unchecked: "CODE_LINE")
    static let codeFunction = JournalFieldName(unchecked: "CODE_FUNC")
}
