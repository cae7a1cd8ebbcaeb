import ArgumentParser
import KamwatchCommands
import KamwatchData
import KamwatchVocabulary

/// `kamwatch data`: tools for the data directory.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect the CSV exports kamwatch reads.",
        subcommands: [Inspect.self]
    )

    /// `kamwatch data inspect FILE`: how kamwatch reads one export, and every bad row in it.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show how kamwatch reads one data file, and every bad row in it.",
            discussion: """
                Prints the table the file feeds, its compression, encoding, delimiter and decimal \
                mark, how each header cell maps onto the table's columns, which required columns \
                are missing, the number of good and bad rows, and each bad row as \
                file:line:column: reason. With --rows json the good rows follow on standard \
                output, one JSON object per line. Exit status: 0 when the file was read (even \
                with bad rows), 1 when it could not be read at all, 2 on a usage error.
                """
        )

        @Argument(help: "The CSV file (.csv or .csv.gz).")
        var file: String

        @Option(help: "Print the good rows in this format.")
        var rows: RowFormat?

        @Option(help: "The table the file feeds, when its name does not tell.")
        var table: TableName?

        @Option(help: "A sources file: read the file as it maps an export onto the tables.")
        var sources: String?

        func run() throws {
            try DataInspect(file: file, rows: rows, table: table, sources: sources).run(output: .standard)
        }
    }
}
