import Logging

extension Logger.Level {
    /// The syslog priority journald stores for this level (trace and debug both map to debug).
    public var journalPriority: JournalPriority {
        switch self {
        case .trace, .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
