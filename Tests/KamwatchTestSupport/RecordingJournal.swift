import KamwatchSystemd
import Synchronization

/// A ``JournalSink`` that keeps every entry in memory, for tests.
public final class RecordingJournal: JournalSink {
    private let recorded = Mutex<[JournalEntry]>([])

    public init() {}

    public func send(_ entry: JournalEntry) {
        recorded.withLock { $0.append(entry) }
    }

    /// Every entry sent so far, in order.
    public var entries: [JournalEntry] { recorded.withLock { $0 } }

    /// The entries whose field `name` has `value`, as `journalctl NAME=value` would select them.
    public func entries(where name: String, is value: String) -> [JournalEntry] {
        entries.filter { $0.values(of: name).contains(value) }
    }

    /// Forgets everything recorded.
    public func removeAll() {
        recorded.withLock { $0.removeAll() }
    }
}
