import ArgumentParser
import KamwatchVocabulary

// The declarations of `kamwatch status`, `explain` and `silence`: options and one call each.
// They live beside their logic because the executable has a line budget; it lists them.

/// `kamwatch status`: the open alerts and input problems in the daemon's state.
public struct StatusCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the open alerts, newest first, and input problems.")
    @OptionGroup var state: StateOptions
    public func run() throws { try StatusRun(options: state).run(output: .standard) }
}

/// `kamwatch explain`: why each rule holds, or not, for one account.
public struct ExplainCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Show why each rule holds, or not, for one account.")
    @Argument(help: "The account's account_id.") var account: String
    @Option(help: "The data directory (default: the config's data_dir).") var data: String?
    @Option(help: "The rules directory (default: the config's, or the shipped rules).") var rules: String?
    @Option(help: "Explain as of this day, YYYY-MM-DD (default: today).") var at: String?
    @Option(help: "Language of messages (default: the config's locale).") var locale: Language?
    @Option(help: "A sources file: how the CRM's exports map onto the tables (default: the config's).")
    var sources: String?
    @OptionGroup var state: StateOptions
    public func run() throws {
        let explain = ExplainRun(
            account: account, data: data, rules: rules, options: state, at: at, locale: locale, sources: sources)
        try explain.run(output: .standard)
    }
}

/// `kamwatch silence`: mute alerts of a rule, an account or both until a day.
public struct SilenceCommand: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Add, list and expire silences (written while the daemon runs).",
        subcommands: [Add.self, List.self, Expire.self])
    public struct Add: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "Add a silence and print its id.")
        @Option(help: "The rule id to silence.") var rule: String?
        @Option(help: "The account_id to silence.") var account: String?
        @Option(help: ArgumentHelp("The last day it holds.", valueName: "YYYY-MM-DD")) var until: String
        @Option(help: "Why (required).") var reason: String
        @Option(help: "Who (default: the user).") var by: String?
        @OptionGroup var state: StateOptions
        public func run() throws {
            try SilenceRun(options: state).add(
                rule: rule, account: account, until: until, reason: reason, by: by, output: .standard)
        }
    }
    public struct List: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "List the active silences, newest first.")
        @Flag(help: "Also the expired and ended ones.") var all = false
        @OptionGroup var state: StateOptions
        public func run() throws { try SilenceRun(options: state).list(all: all, output: .standard) }
    }
    public struct Expire: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(abstract: "End a silence now.")
        @Argument(help: "The silence id.") var id: Int64
        @OptionGroup var state: StateOptions
        public func run() throws { try SilenceRun(options: state).expire(id: id, output: .standard) }
    }
}
