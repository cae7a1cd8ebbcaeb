/// Tells the service manager how the daemon is doing.
public protocol Notifier: Sendable {
    /// Start-up (or a reload) is complete; `status` says what is being watched.
    func ready(status: String)
    /// A reload has begun; follow with ``ready(status:)`` when it is done.
    func reloading()
    /// A clean shutdown has begun.
    func stopping()
    /// Updates the status line without changing state.
    func status(_ text: String)
    /// Pings the watchdog; call at least every ``watchdogInterval``.
    func watchdog()
    /// How often to ping the watchdog (half the unit's `WatchdogSec=`), or `nil` when it is off.
    var watchdogInterval: Duration? { get }
}
