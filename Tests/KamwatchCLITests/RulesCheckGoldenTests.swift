import Foundation
import Testing

/// `kamwatch rules check`, compared with reviewed golden output.
@Suite struct RulesCheckGoldenTests {
    @Test func shippedRulesAreValid() throws {
        let r = try CLIRunner.run(["rules", "check", "rules"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        try CLIRunner.expectGolden(r.stdout, "rules-check-shipped.txt")
    }

    @Test func errorsPointAtFileLineAndColumn() throws {
        let r = try CLIRunner.run(["rules", "check", "Golden/bad-rules"], in: "Tests/KamwatchCLITests")
        #expect(r.status == 2)
        try CLIRunner.expectGolden(r.stdout, "rules-check-bad.stdout")
        try CLIRunner.expectGolden(r.stderr, "rules-check-bad.stderr")
    }

    @Test func anEmptyDirectoryIsAnError() throws {
        let r = try CLIRunner.run(["rules", "check", "Golden"], in: "Tests/KamwatchCLITests")
        #expect(r.status == 2)
        #expect(r.stderr == "Golden: no rule files (*.yaml, *.yml)\n")
        let c = try CLIRunner.run(["check", "--data", "examples", "--rules", "Tests/KamwatchCLITests/Golden"])
        #expect(c.status == 2)
        #expect(c.stderr == "kamwatch: Tests/KamwatchCLITests/Golden: no rule files (*.yaml, *.yml)\n")
    }

    @Test func singleFilesAndMissingPaths() throws {
        let r = try CLIRunner.run(["rules", "check", "rules/single-contact.yaml", "no-such-file.yaml"])
        #expect(r.status == 2)
        #expect(
            r.stdout == "rules/single-contact.yaml: OK (single-contact)\n1 rule file checked: 1 OK, 1 with errors\n")
        #expect(r.stderr == "no-such-file.yaml: no such file or directory\n")
    }
}
