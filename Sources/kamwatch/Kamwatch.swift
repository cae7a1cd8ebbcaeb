import ArgumentParser
import KamwatchCommands
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
        subcommands: [
            CheckCommand.self, RunCommand.self, DigestCommand.self, RulesCommand.self, DataCommand.self,
            SourcesCommand.self, HistoryCommand.self, StatusCommand.self, ExplainCommand.self, SilenceCommand.self,
        ]
    )

    /// The one place a command's failure becomes standard error and an exit status. Usage errors
    /// exit 2, as configuration and rule errors do (ArgumentParser's default for them is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Output.standard.err(failure.description)
            exit(withError: ExitCode(failure.exitCode))
        } catch let error where exitCode(for: error) == .validationFailure {
            Output.standard.err(fullMessage(for: error) + "\n")
            exit(withError: ExitCode(2))
        } catch {
            exit(withError: error)
        }
    }
}

/// The version printed by `kamwatch --version`.
enum KamwatchVersion {
    static let current = "0.1.0"
}
