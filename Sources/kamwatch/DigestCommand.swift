import ArgumentParser
import KamwatchCommands
import KamwatchData
import KamwatchVocabulary

/// `kamwatch digest`: writes each sales lead's daily e-mail into `<outbox>/digests/<date>/`.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write each sales lead's daily digest e-mail into the outbox.",
        discussion: """
            Reads the daemon's state (read-only; safe while `kamwatch run` is running) and writes one \
            e-mail per lead to <outbox_dir>/digests/<date>/<lead>.eml: alerts new since that lead's \
            previous digest, still open, and resolved. Running it again for the same day writes nothing. \
            With digest.deliver: sendmail, each digest is piped to digest.sendmail once (retried at the next run).
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("The config file (default: /etc/kamwatch/kamwatch.yaml when it exists).", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The digest's day (default: today in the configured time zone).", valueName: "YYYY-MM-DD"))
    var date: Day?

    @Flag var steps: DigestSteps = .writeAndDeliver

    func run() throws {
        try DigestRun(config: config, date: date, steps: steps).run(output: .standard)
    }
}
