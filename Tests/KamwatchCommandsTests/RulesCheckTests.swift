import Foundation
import KamwatchCommands
import KamwatchVocabulary
import Testing

@Suite struct RulesCheckTests {
    @Test func aRuleIdSeenInAnEarlierFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try dir.copy("rules/single-contact.yaml", to: "a/single-contact.yaml")
        let second = try dir.copy("rules/single-contact.yaml", to: "b/one-person.yaml")
        let report = RulesCheck(paths: [dir.path + "/a", dir.path + "/b"]).check()
        #expect(
            report.errors == """
                \(second):3:5: duplicate rule id "single-contact" (also in \(first))
                id: single-contact
                    ^~~~~~~~~~~~~~

                """)
        #expect(report.lines == "\(first): OK (single-contact)\n2 rule files checked: 1 OK, 1 with errors\n")
        #expect(report.checked == 2)
        #expect(report.ok == 1)
        #expect(report.failed == 1)
    }

    @Test func theShippedRulesHaveDistinctIds() throws {
        let report = RulesCheck(paths: [Repository.path("rules")]).check()
        #expect(report.errors == "")
        #expect(report.failed == 0)
        #expect(report.ok == report.checked)
        #expect(report.checked > 1)
    }

    @Test func goodAndBadFilesPrintBothAndExit2() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let good = try dir.copy("rules/revenue-decline.yaml", to: "good.yaml")
        let empty = dir.path + "/empty"
        try dir.write("empty/notes.txt", "not a rule file")
        let missing = dir.path + "/no-such.yaml"
        let bad = Repository.path("Tests/KamwatchCLITests/Golden/bad-rules")
        let captured = CapturedOutput()

        #expect(throws: CommandFailure(nil, command: "rules check", exitCode: 2)) {
            try RulesCheck(paths: [good, bad, missing, empty]).run(output: captured.output)
        }
        // The golden files were made with the bad rules as `Golden/bad-rules`.
        let relative = { (text: String) in
            text.replacingOccurrences(of: Repository.path("Tests/KamwatchCLITests/"), with: "")
        }
        let goldenOut = try Repository.golden("rules-check-bad.stdout").split(separator: "\n")
        #expect(
            relative(captured.stdout) == "\(good): OK (revenue-decline)\n" + goldenOut[0] + "\n"
                + "5 rule files checked: 2 OK, 5 with errors\n")
        #expect(
            relative(captured.stderr) == "\(missing): no such file or directory\n"
                + "\(empty): no rule files (*.yaml, *.yml)\n" + (try Repository.golden("rules-check-bad.stderr")))
    }

    @Test func allValidExitsNormally() throws {
        let captured = CapturedOutput()
        try RulesCheck(paths: [Repository.path("rules/single-contact.yaml")]).run(output: captured.output)
        #expect(
            captured.stdout
                == "\(Repository.path("rules/single-contact.yaml")): OK (single-contact)\n"
                + "1 rule file checked: 1 OK, 0 with errors\n")
        #expect(captured.stderr == "")
    }
}
