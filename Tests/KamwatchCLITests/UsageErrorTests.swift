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
}
