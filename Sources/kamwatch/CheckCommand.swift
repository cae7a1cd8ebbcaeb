import ArgumentParser
import KamwatchCommands
import KamwatchData
import KamwatchRules
import KamwatchVocabulary

/// `kamwatch check`: evaluate the rules once against a data directory and print the alerts.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate the rules once and print the alerts.",
        discussion: """
            Data problems go to standard error as file:line:column: reason. Exit status: 0 when \
            the evaluation ran (alerts or not), 2 on a usage, data directory or rule error.
            """
    )

    @Option(help: "The data directory (CSV exports).")
    var data: String

    @Option(help: "The rules directory (default: the rules shipped with kamwatch).")
    var rules: String?

    @Option(help: "A sources file: how the CRM's exports map onto the tables.")
    var sources: String?

    @Option(help: "Evaluate as of this day, YYYY-MM-DD (default: today).")
    var at: String?

    @Option(help: "Output format; json prints one alert per line.")
    var format: OutputFormat = .text

    @Option(help: "Language of messages.")
    var locale: Language = .en

    @Option(help: "A state directory whose recorded history is used, read-only (nothing is recorded).")
    var state: String?

    @Flag(help: "Print rows, bytes, timings and peak memory to standard error.")
    var stats = false

    func validate() throws {
        if let at, Day(iso: at) == nil { throw ValidationError("--at takes a day as YYYY-MM-DD, not \"\(at)\"") }
    }

    func run() throws {
        let check = CheckRun(
            data: data, rules: rules, day: at.flatMap { Day(iso: $0) }, format: format, locale: locale, stats: stats,
            state: state, sources: sources)
        try check.run(output: .standard)
    }
}
