import Foundation
import KamwatchCommands
import KamwatchVocabulary
import Testing

/// `kamwatch explain` on the example book.
@Suite("explain command")
struct ExplainRunTests {
    func run(_ account: String, format: OutputFormat = .text) -> (out: String, err: String, code: Int32) {
        let captured = CapturedOutput()
        let explain = ExplainRun(
            account: account, data: Repository.path("examples"), rules: Repository.path("rules"),
            options: StateOptions(state: "/nonexistent", format: format), at: "2026-11-20", locale: .en,
            environment: [:])
        do {
            try explain.run(output: captured.output)
            return (captured.stdout, captured.stderr, 0)
        } catch {
            return (captured.stdout, captured.stderr + error.description, error.exitCode)
        }
    }

    @Test("JSON: one object per rule, the step that held, and the alert's evidence")
    func json() throws {
        let r = run("K-141", format: .json)
        #expect(r.code == 0)
        let lines = r.out.split(separator: "\n")
        let turnover = try #require(lines.first { $0.contains("\"rule\":\"contact-turnover\"") })
        #expect(turnover.contains("\"in_scope\":true"))
        #expect(turnover.contains("\"when\":true"))
        #expect(turnover.contains("\"severity\":\""))
        #expect(turnover.contains("\"evidence\":{\"base\":"))
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["rule"] != nil)
        }
    }

    @Test("text: a block per rule with its conditions and yes or no; no colour off a terminal")
    func text() {
        let r = run("K-141")
        #expect(r.code == 0)
        #expect(r.out.hasPrefix("K-141 "))
        #expect(r.out.contains("\ncontact-turnover  "))
        #expect(r.out.contains("  scope     account.tier in [\"strategic\", \"key\"]  → yes\n"))
        #expect(!r.out.contains("\u{1B}["))
    }

    @Test("an unknown account: one clear line and exit status 2")
    func unknown() {
        let r = run("NOPE")
        #expect(r.code == 2)
        #expect(r.err.hasSuffix("no account \"NOPE\" in \(Repository.path("examples"))/accounts.csv\n"))
    }
}
