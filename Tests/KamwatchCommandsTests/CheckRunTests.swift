import Foundation
import KamwatchCommands
import KamwatchData
import KamwatchRules
import KamwatchVocabulary
import Testing

@Suite struct CheckRunTests {
    static let day = Day(iso: "2026-11-20")

    /// `check` on the bundled examples as the golden tests run it, with paths relative to the root.
    func checkExamples(format: OutputFormat, locale: Language = .en) throws -> CapturedOutput {
        let captured = CapturedOutput()
        let check = CheckRun(
            data: Repository.path("examples"), rules: Repository.path("rules"), day: Self.day, format: format,
            locale: locale, environment: ["NO_COLOR": "1"])
        try check.run(output: captured.output)
        return captured
    }

    @Test func jsonOnExamplesMatchesTheGoldenFiles() throws {
        let captured = try checkExamples(format: .json)
        #expect(captured.stdout == (try Repository.golden("check-examples.jsonl")))
        let stderr = captured.stderr.replacingOccurrences(of: Repository.root + "/", with: "")
        #expect(stderr == (try Repository.golden("check-examples.stderr")))
    }

    @Test func russianJSONOnExamplesMatchesTheGoldenFile() throws {
        let captured = try checkExamples(format: .json, locale: .ru)
        #expect(captured.stdout == (try Repository.golden("check-examples-ru.jsonl")))
    }

    @Test func textOnExamplesMatchesTheGoldenFile() throws {
        let captured = try checkExamples(format: .text)
        #expect(captured.stdout == (try Repository.golden("check-examples.txt")))
    }

    @Test func statsFollowTheReportOnStandardError() throws {
        let captured = CapturedOutput()
        let check = CheckRun(
            data: Repository.path("examples"), rules: Repository.path("rules"), day: Self.day, format: .json,
            stats: true)
        try check.run(output: captured.output)
        let stats = captured.stderr.split(separator: "\n").filter { $0.hasPrefix("stats: ") }
        #expect(stats.count == 2)
        #expect(stats.first?.hasPrefix("stats: rows accounts ") == true)
    }

    @Test(
        "a missing or wrong directory fails with status 2",
        arguments: [
            ("no-such-dir", "rules", "no-such-dir: no such data directory"),
            (
                "examples/accounts.csv", "rules",
                "examples/accounts.csv: not a directory (--data takes the directory of CSV files)"
            ),
            ("Tests", "rules", "Tests: no accounts table (accounts.csv) in the data directory"),
            ("examples", "no-such-rules", "no-such-rules: cannot read rules directory"),
        ])
    func directoryErrors(data: String, rules: String, reason: String) throws {
        let captured = CapturedOutput()
        let check = CheckRun(data: Repository.path(data), rules: Repository.path(rules), day: Self.day)
        let failure = #expect(throws: CommandFailure.self) { try check.run(output: captured.output) }
        #expect(failure?.exitCode == 2)
        #expect(failure?.description == "kamwatch: \(Repository.root)/\(reason)\n")
        #expect(captured.stdout == "")
    }
}
