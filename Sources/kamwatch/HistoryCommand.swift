import ArgumentParser
import KamwatchCommands
import KamwatchVocabulary

/// `kamwatch history record`: backfill one day's snapshot of what the exports forget.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Record what the exports forget.", subcommands: [Record.self])

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record a day's snapshot in the state's history (oldest first: an older day is refused).")

        @Option(help: "The data directory (CSV exports of that day).") var data: String
        @Option(help: "A sources file: how the CRM's exports map onto the tables.") var sources: String?
        @Option(help: "The state directory (the daemon's, or one of its own).") var state: String
        @Option(help: "The snapshot's day, YYYY-MM-DD.") var at: Day

        func run() throws {
            try HistoryRecord(data: data, state: state, day: at, sources: sources).run(output: .standard)
        }
    }
}
