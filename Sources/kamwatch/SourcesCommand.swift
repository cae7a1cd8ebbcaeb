import ArgumentParser
import KamwatchCommands

/// `kamwatch sources`: work with sources files (CRM exports, SPEC §6).
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources", abstract: "Work with sources files.", subcommands: [Suggest.self])

    /// `kamwatch sources suggest DIR`: a starting sources file for an export directory.
    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "suggest",
            abstract: "Recognise the CRM of an export directory and print a starting sources file.")

        @Argument(help: "The directory of the CRM's export files.")
        var directory: String

        func run() throws { try SourcesSuggest(directory: directory).run(output: .standard) }
    }
}
