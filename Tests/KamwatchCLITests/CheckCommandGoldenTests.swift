import Foundation
import Testing

/// `kamwatch check` on the bundled examples, compared with reviewed golden output.
@Suite struct CheckCommandGoldenTests {
    @Test func jsonOnExamples() throws {
        let r = try CLIRunner.run([
            "check", "--data", "examples", "--rules", "rules", "--at", "2026-11-20", "--format", "json",
        ])
        #expect(r.status == 0)
        try CLIRunner.expectGolden(r.stdout, "check-examples.jsonl")
        try CLIRunner.expectGolden(r.stderr, "check-examples.stderr")
    }

    @Test func russianJSONOnExamples() throws {
        let r = try CLIRunner.run([
            "check", "--data", "examples", "--rules", "rules", "--at", "2026-11-20", "--format", "json", "--locale",
            "ru",
        ])
        #expect(r.status == 0)
        try CLIRunner.expectGolden(r.stdout, "check-examples-ru.jsonl")
    }

    @Test func textOnExamples() throws {
        let r = try CLIRunner.run(["check", "--data", "examples", "--rules", "rules", "--at", "2026-11-20"])
        #expect(r.status == 0)
        #expect(!r.stdout.contains("\u{1B}["))
        try CLIRunner.expectGolden(r.stdout, "check-examples.txt")
    }

    @Test func badDataIsReportedAndEvaluationStillRuns() throws {
        let r = try CLIRunner.run([
            "check", "--data", "examples/bad", "--rules", "rules", "--at", "2026-11-20", "--format", "json",
        ])
        #expect(r.status == 0)
        try CLIRunner.expectGolden(r.stderr, "check-bad-data.stderr")
        // B-3 and B-4 are each other's parent: B-3's merger reaches B-4 through the cycle.
        #expect(r.stdout.contains(#""rule":"merger-exposure","account_id":"B-4""#))
        #expect(r.stdout.contains(#""rule":"merger-exposure","account_id":"B-3""#))
    }

    @Test func statsLineHasTheStableFormat() throws {
        let r = try CLIRunner.run([
            "check", "--data", "examples", "--rules", "rules", "--at", "2026-11-20", "--format", "json", "--stats",
        ])
        #expect(r.status == 0)
        let stats = r.stderr.split(separator: "\n").filter { $0.hasPrefix("stats: ") }
        #expect(stats.count == 2)
        #expect(stats.first?.hasPrefix("stats: rows accounts ") == true)
        let pattern =
            #/stats: read \d+\.\d{3} s, evaluate \d+\.\d{3} s, total \d+\.\d{3} s, \d+\.\d MB, \d+ rows, \d+\.\d MB/s, \d+\.\dM rows/s, peak RSS \d+ MB/#
        #expect(stats.last.map { (try? pattern.wholeMatch(in: String($0))) != nil } == true)
    }

    @Test(
        "configuration errors exit 2",
        arguments: [
            (
                ["check", "--data", "no-such-dir", "--rules", "rules"],
                "kamwatch: no-such-dir: no such data directory\n"
            ),
            (
                ["check", "--data", "examples/accounts.csv", "--rules", "rules"],
                "kamwatch: examples/accounts.csv: not a directory (--data takes the directory of CSV files)\n"
            ),
            (
                ["check", "--data", "Tests", "--rules", "rules"],
                "kamwatch: Tests: no accounts table (accounts.csv) in the data directory\n"
            ),
            (
                ["check", "--data", "examples", "--rules", "no-such-rules"],
                "kamwatch: no-such-rules: cannot read rules directory\n"
            ),
        ])
    func configurationErrors(arguments: [String], stderr: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(r.stderr == stderr)
    }

    @Test func ruleErrorsExit2() throws {
        let r = try CLIRunner.run(["check", "--data", "examples", "--rules", "Tests/KamwatchCLITests/Golden/bad-rules"])
        #expect(r.status == 2)
        #expect(r.stdout == "")
        #expect(
            r.stderr.hasPrefix(
                "kamwatch: Tests/KamwatchCLITests/Golden/bad-rules/multiline.yaml:9:17: unknown column \"sinse\""))
    }

    @Test func defaultRulesComeFromTheEnvironmentFirst() throws {
        let r = try CLIRunner.run(
            ["check", "--data", "examples", "--at", "2026-11-20", "--format", "json"],
            environment: ["KAMWATCH_RULES_DIR": CLIRunner.root.appendingPathComponent("rules").path])
        #expect(r.status == 0)
        try CLIRunner.expectGolden(r.stdout, "check-examples.jsonl")
    }
}
