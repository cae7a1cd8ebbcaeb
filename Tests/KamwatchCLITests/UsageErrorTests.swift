import Foundation
import Testing

/// Usage errors exit 2 with a message and the usage line; help and version exit 0.
struct UsageErrorTests {
    @Test(
        "usage errors exit 2",
        arguments: [
            (["check", "--data", "examples", "--at", "2026-13-01"], "Error: --at takes a day as YYYY-MM-DD"),
            (
                ["check", "--data", "examples", "--format", "xml"],
                "Error: The value 'xml' is invalid for '--format <format>'. Please provide one of 'text' and 'json'."
            ),
            (
                ["check", "--data", "examples", "--locale", "de"],
                "Error: The value 'de' is invalid for '--locale <locale>'. Please provide one of 'en' and 'ru'."
            ),
            (
                ["data", "inspect", "examples/accounts.csv", "--rows", "csv"],
                "Error: The value 'csv' is invalid for '--rows <rows>'. Please provide one of 'json'."
            ),
            (
                ["data", "inspect", "examples/accounts.csv", "--table", "foo"],
                "Error: The value 'foo' is invalid for '--table <table>'. Please provide one of 'accounts', "
            ),
            (["check"], "Error: Missing expected argument '--data <data>'"),
            (["digest", "--date", "bad"], "Error: The value 'bad' is invalid for '--date <YYYY-MM-DD>'"),
            (["digest", "--write-only", "--deliver-only"], "Error: Value to be set with flag '--deliver-only' had"),
            (["frobnicate"], "Error: Unexpected argument 'frobnicate'"),
        ])
    func usageErrorsExit2(arguments: [String], message: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix(message), "stderr: \(r.stderr)")
        #expect(r.stderr.contains("Usage: kamwatch"))
    }

    @Test(arguments: [["--help"], ["--version"], ["check", "--help"], ["help", "run"]])
    func helpAndVersionExit0(arguments: [String]) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == 0)
        #expect(!r.stdout.isEmpty)
    }

    /// Every command of the tree, as `kamwatch --experimental-dump-help` lists it: its help
    /// renders (exit 0), and an unknown option is a usage error (exit 2 with the usage line),
    /// so no option or flag lacks what the usage text needs.
    @Test func everyCommandRendersItsHelpAndUsage() throws {
        let dump = try CLIRunner.run(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let tree = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let paths = Self.commandPaths(tree?["command"] as? [String: Any] ?? [:], under: [])
        #expect(paths.count > 10, "commands: \(paths)")
        #expect(paths.contains(["digest"]))
        for path in paths {
            let help = try CLIRunner.run(path + ["--help"])
            #expect(help.status == 0, "\(path) --help: \(help.stderr)")
            #expect(help.stdout.contains("USAGE: kamwatch"), "\(path) --help: \(help.stdout)")
            let viaHelp = try CLIRunner.run(["help"] + path)
            #expect(viaHelp.status == 0 && viaHelp.stdout == help.stdout, "help \(path)")
            let bad = try CLIRunner.run(path + ["--no-such-option"])
            #expect(bad.status == 2, "\(path) --no-such-option: status \(bad.status), \(bad.stderr)")
            #expect(bad.stdout == "")
            #expect(bad.stderr.hasPrefix("Error: "), "\(path): \(bad.stderr)")
            #expect(bad.stderr.contains("Usage: kamwatch"), "\(path): \(bad.stderr)")
        }
    }

    /// The subcommands under `command` (its own path included below the root), without the
    /// generated `help`.
    private static func commandPaths(_ command: [String: Any], under path: [String]) -> [[String]] {
        var paths: [[String]] = path.isEmpty ? [] : [path]
        for sub in command["subcommands"] as? [[String: Any]] ?? [] {
            guard let name = sub["commandName"] as? String, name != "help" else { continue }
            paths += commandPaths(sub, under: path + [name])
        }
        return paths
    }
}
