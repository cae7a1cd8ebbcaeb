import ArgumentParser
import KamwatchCommands
import KamwatchVocabulary

/// `kamwatch rules`: work with rule files.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Work with rule files.", subcommands: [Check.self])

    /// `kamwatch rules check DIR…`: validate rule files without evaluating them.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate rule files (every *.yaml / *.yml of a directory, or single files).",
            discussion:
                "Prints one line per valid file and the errors of the others; exit status 0 when all are valid, 2 otherwise."
        )

        @Argument(help: "Rule directories or files.") var paths: [String]
        @Option(help: "A sources file: rules may read the columns of your own it declares.") var sources: String?
        @Option(help: "A config file: its sources: is used when --sources is not given.") var config: String?

        func run() throws {
            try RulesCheck(paths: paths, sources: sources, config: config).run(output: .standard)
        }
    }
}
