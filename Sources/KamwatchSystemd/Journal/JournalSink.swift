/// Somewhere journal entries go: journald in production, memory in tests.
public protocol JournalSink: Sendable {
    /// Sends one entry; throws only when the entry cannot be delivered anywhere.
    func send(_ entry: JournalEntry) throws

    /// Sends an entry that must reach the journal itself (an alert's transition): throws when the
    /// journal the sink writes to does not take it, so that it can be sent again later.
    func deliver(_ entry: JournalEntry) throws
}

extension JournalSink {
    public func deliver(_ entry: JournalEntry) throws { try send(entry) }
}
