import ArgumentParser
import Foundation
import KamwatchData
import KamwatchVocabulary

/// `kamwatch data`: tools for the data directory.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Inspect the CSV exports kamwatch reads.",
        subcommands: [Inspect.self]
    )

    /// `kamwatch data inspect FILE`: how kamwatch reads one export, and every bad row in it.
    struct Inspect: AsyncParsableCommand {
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

        @Option(help: "Print the good rows in this format (json).")
        var rows: String?

        @Option(
            help:
                "The table the file feeds, when its name does not tell (accounts, contacts, orders, service_costs, events)."
        )
        var table: String?

        func run() async throws {
            // Usage problems exit with status 2 (ArgumentParser's own validation exits with 64).
            if let rows, rows != "json" { Self.usage("--rows takes json, not \"\(rows)\"") }
            var chosen: TableName?
            if let table {
                guard let name = TableName(rawValue: table) else {
                    let names = TableName.allCases.map(\.rawValue).joined(separator: ", ")
                    Self.usage("--table takes one of \(names), not \"\(table)\"")
                }
                chosen = name
            }
            let report: InspectReport
            do {
                report = try InspectReport.inspect(path: file, table: chosen)
            } catch {
                Self.usage(error.description)
            }
            if rows == "json" {
                // Rows on standard output for piping; the report goes to standard error.
                FileHandle.standardError.write(Data(report.text.utf8))
                var buffer = ""
                report.jsonRows { line in
                    buffer += line
                    buffer += "\n"
                    if buffer.utf8.count >= 1 << 16 {
                        FileHandle.standardOutput.write(Data(buffer.utf8))
                        buffer = ""
                    }
                }
                FileHandle.standardOutput.write(Data(buffer.utf8))
            } else {
                FileHandle.standardOutput.write(Data(report.text.utf8))
            }
            if !report.readable { throw ExitCode(1) }
        }

        /// Prints `kamwatch data inspect: message` to standard error and exits with status 2.
        static func usage(_ message: String) -> Never {
            FileHandle.standardError.write(Data("kamwatch data inspect: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
