import ArgumentParser
import Foundation
import KamwatchVocabulary

/// The `kamwatch` command: early warnings for key accounts.
@main
struct Kamwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kamwatch",
        abstract: "Early warnings for key accounts: checks CRM exports against declarative rules.",
        discussion: """
            kamwatch reads the CSV exports in a data directory, evaluates every account against \
            the YAML rules in a rules directory and reports the alerts. `check` evaluates once; \
            `run` is the systemd daemon that watches the data directory; `digest` writes the \
            daily e-mail for each sales lead.
            """,
        version: KamwatchVersion.current,
        subcommands: [CheckCommand.self, RunCommand.self, DigestCommand.self, RulesCommand.self, DataCommand.self]
    )

    /// Usage errors exit 2, as the commands' own configuration and rule errors do
    /// (ArgumentParser's default for them is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// The version printed by `kamwatch --version`.
enum KamwatchVersion {
    static let current = "0.1.0"
}
