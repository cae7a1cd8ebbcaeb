import KamwatchDaemon
import KamwatchSystemd
import KamwatchVocabulary
import Logging

/// `kamwatch run`: the daemon that watches the data directory (run by systemd, `Type=notify`).
public struct DaemonRun: Sendable {
    /// Command-line values that override the config file's.
    public var overrides: ConfigOverrides

    public init(overrides: ConfigOverrides) {
        self.overrides = overrides
    }

    /// Runs until SIGTERM; fails with exit status 1 when the daemon cannot start or stops on an error.
    public func run() async throws(CommandFailure) {
        let overrides = overrides
        let settings: DaemonConfig
        do {
            settings = try overrides.load()
        } catch {
            throw CommandFailure(error.description, command: "run", exitCode: 1)
        }
        let journal = SystemdJournal()
        LoggingSystem.bootstrap(JournalLogHandler.factory(sink: journal), metadataProvider: nil)
        let logger = Logger(label: "kamwatch.daemon")
        let daemon = Daemon(
            config: settings, loadConfig: { try overrides.load() }, journal: journal, notifier: SystemdNotifier(),
            logger: logger)
        do {
            try await daemon.run()
        } catch {
            // Without journald the logger writes to stderr already, in its `<N>` form.
            if journal.isUsingJournald { logger.critical("\(error)") }
            throw CommandFailure("\(error)", command: "run", exitCode: 1)
        }
    }
}
