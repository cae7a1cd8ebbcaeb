import ArgumentParser

@main
struct Kamwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kamwatch",
        abstract: "Early warnings for key accounts: checks CRM exports against declarative rules.",
        version: KamwatchVersion.current,
        subcommands: []
    )
}

enum KamwatchVersion {
    static let current = "0.1.0"
}
