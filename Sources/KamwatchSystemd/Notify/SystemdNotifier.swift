import CSystemd
import Foundation

/// A ``Notifier`` that talks to systemd through `sd_notify`; without `NOTIFY_SOCKET` every call does nothing.
public struct SystemdNotifier: Notifier {
    public let watchdogInterval: Duration?

    /// Reads the watchdog setting (`WATCHDOG_USEC`, `WATCHDOG_PID`) once.
    public init() {
        var usec: UInt64 = 0
        if sd_watchdog_enabled(0, &usec) > 0, usec > 0 {
            self.watchdogInterval = Self.pingInterval(watchdogMicroseconds: usec)
        } else {
            self.watchdogInterval = nil
        }
    }

    /// Half the watchdog timeout, as systemd recommends, so one late ping is not fatal.
    static func pingInterval(watchdogMicroseconds usec: UInt64) -> Duration {
        .microseconds(Int64(clamping: usec / 2))
    }

    public func ready(status: String) { send(.ready(status: status)) }
    public func reloading() { send(.reloading(monotonicMicroseconds: Self.monotonicMicroseconds())) }
    public func stopping() { send(.stopping) }
    public func status(_ text: String) { send(.status(text)) }
    public func watchdog() { send(.watchdog) }

    /// Sends one notification; a failure is not actionable (systemd will time out on its own), so it is ignored.
    public func send(_ message: NotifyMessage) {
        _ = sd_notify(0, message.state)
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock systemd compares `MONOTONIC_USEC=` with.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
