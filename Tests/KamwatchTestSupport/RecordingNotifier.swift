import KamwatchSystemd
import Synchronization

/// A ``Notifier`` that keeps every notification in memory, for tests.
public final class RecordingNotifier: Notifier {
    private let recorded = Mutex<[NotifyMessage]>([])
    public let watchdogInterval: Duration?

    /// A recorder reporting `watchdogInterval` as the unit's watchdog setting.
    public init(watchdogInterval: Duration? = nil) {
        self.watchdogInterval = watchdogInterval
    }

    /// Every notification so far, in order.
    public var messages: [NotifyMessage] { recorded.withLock { $0 } }

    public func ready(status: String) { record(.ready(status: status)) }
    /// Recorded with a zero timestamp: tests compare messages, not clocks.
    public func reloading() { record(.reloading(monotonicMicroseconds: 0)) }
    public func stopping() { record(.stopping) }
    public func status(_ text: String) { record(.status(text)) }
    public func watchdog() { record(.watchdog) }

    private func record(_ message: NotifyMessage) {
        recorded.withLock { $0.append(message) }
    }
}
