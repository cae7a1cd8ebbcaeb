import Logging

/// A swift-log handler that writes every record as a structured journal entry.
///
/// Metadata becomes `KAMWATCH_<KEY>` fields; the metadata key `message_id` sets `MESSAGE_ID`
/// instead (default: kamwatch's diagnostics id), so `journalctl -x` finds the catalog text.
public struct JournalLogHandler: LogHandler {
    /// The prefix of every field made from metadata.
    public static let fieldPrefix = "KAMWATCH_"
    /// The metadata key whose value, when it is a valid id, overrides `MESSAGE_ID`.
    public static let messageIDKey = "message_id"

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: any JournalSink

    /// A handler for the logger `label` that sends to `sink`.
    public init(
        label: String,
        sink: any JournalSink,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.sink = sink
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    /// The factory to hand to `LoggingSystem.bootstrap`, which only the executable's `main` calls.
    public static func factory(
        sink: any JournalSink,
        logLevel: Logger.Level = .info
    ) -> @Sendable (String, Logger.MetadataProvider?) -> any LogHandler {
        { label, provider in
            JournalLogHandler(label: label, sink: sink, logLevel: logLevel, metadataProvider: provider)
        }
    }

    /// Routes every `Logger` of the process to `sink`; call once, from the executable's `main` only.
    public static func bootstrap(sink: any JournalSink, logLevel: Logger.Level = .info) {
        LoggingSystem.bootstrap(factory(sink: sink, logLevel: logLevel), metadataProvider: nil)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // A log line that cannot be delivered has nowhere better to go.
        try? sink.send(entry(for: event))
    }

    /// The journal entry for one log record: call metadata wins over the provider's, which wins over the handler's.
    func entry(for event: LogEvent) -> JournalEntry {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let given = event.metadata { merged.merge(given) { _, new in new } }

        var messageID = JournalMessageID.kamwatchDiagnostics
        // An invalid id stays an ordinary field rather than vanishing.
        if let value = merged[Self.messageIDKey], let id = JournalMessageID(value.journalValue) {
            messageID = id
            merged[Self.messageIDKey] = nil
        }
        var entry = JournalEntry(
            message: event.message.description,
            priority: event.level.journalPriority,
            messageID: messageID,
            file: event.file,
            line: event.line,
            function: event.function
        )
        entry.append(JournalField(name: .sanitizing("LOGGER", prefix: Self.fieldPrefix), value: label))
        if let error = event.error {
            entry.append(
                JournalField(name: .sanitizing("ERROR", prefix: Self.fieldPrefix), value: String(describing: error)))
        }
        // Sorted so that the field order does not depend on dictionary order.
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            entry.append(JournalField(name: .sanitizing(key, prefix: Self.fieldPrefix), value: value.journalValue))
        }
        return entry
    }
}
