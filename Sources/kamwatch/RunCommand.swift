import ArgumentParser
import KamwatchCommands
import KamwatchDaemon
import KamwatchVocabulary

/// `kamwatch run`: the daemon that watches the data directory (run by systemd, `Type=notify`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: watch the data directory and report alerts as they start and stop.",
        discussion: """
            Reads the config file (default /etc/kamwatch/kamwatch.yaml when it exists; the flags \
            below override it), evaluates the rules whenever the data changes and when the date \
            rolls over, and writes each transition to the journal and to <outbox>/alerts/. \
            SIGHUP reloads config and rules; SIGTERM stops. Exits 1 when it cannot start.
            """
    )

    @Option(help: "The config file (default: /etc/kamwatch/kamwatch.yaml when it exists).")
    var config: String?

    @Option(help: "The data directory to watch (overrides data_dir).")
    var data: String?

    @Option(help: "The rules directory (overrides rules_dir).")
    var rules: String?

    @Option(help: "A sources file: how the CRM's exports map onto the tables (overrides sources).")
    var sources: String?

    @Option(help: "The state directory (overrides state_dir).")
    var state: String?

    @Option(help: "The outbox directory (overrides outbox_dir).")
    var outbox: String?

    func run() async throws {
        let overrides = ConfigOverrides(
            configPath: config, dataDir: data, rulesDir: rules, stateDir: state, outboxDir: outbox, sources: sources)
        try await DaemonRun(overrides: overrides).run()
    }
}
