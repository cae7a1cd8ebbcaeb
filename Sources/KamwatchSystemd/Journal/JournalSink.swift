/// Somewhere journal entries go: journald in production, memory in tests.
public protocol JournalSink: Sendable {
    /// Sends one entry; throws only when the entry cannot be delivered anywhere.
    func send(_ entry: JournalEntry) throws
}
