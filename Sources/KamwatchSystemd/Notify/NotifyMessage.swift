/// One service-manager notification, as `sd_notify` sends it.
public enum NotifyMessage: Sendable, Hashable {
    /// Start-up or reload finished (`READY=1`), with a status line.
    case ready(status: String)
    /// A reload began (`RELOADING=1`), stamped with `CLOCK_MONOTONIC` in microseconds.
    case reloading(monotonicMicroseconds: UInt64)
    /// Shutting down (`STOPPING=1`).
    case stopping
    /// A free-form status line (`STATUS=`), shown by `systemctl status`.
    case status(String)
    /// Still alive (`WATCHDOG=1`).
    case watchdog

    /// The `KEY=value` lines handed to `sd_notify`.
    public var state: String {
        switch self {
        case .ready(let status): "READY=1\nSTATUS=\(Self.oneLine(status))"
        case .reloading(let usec): "RELOADING=1\nMONOTONIC_USEC=\(usec)"
        case .stopping: "STOPPING=1"
        case .status(let status): "STATUS=\(Self.oneLine(status))"
        case .watchdog: "WATCHDOG=1"
        }
    }

    /// A newline would end the assignment and start a bogus one, so a status stays on one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
