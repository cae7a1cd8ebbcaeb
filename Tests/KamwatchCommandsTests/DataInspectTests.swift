import KamwatchCommands
import KamwatchData
import KamwatchVocabulary
import Testing

@Suite struct DataInspectTests {
    @Test func theReportGoesToStandardOutput() throws {
        let captured = CapturedOutput()
        let file = Repository.path("examples/accounts.csv")
        try DataInspect(file: file).run(output: captured.output)
        #expect(captured.stdout.hasPrefix("\(file)\n  table       accounts (from the file name)\n"))
        #expect(captured.stderr == "")
    }

    @Test func withRowsTheReportGoesToStandardErrorAndTheRowsToStandardOutput() throws {
        let captured = CapturedOutput()
        let file = Repository.path("examples/accounts.csv")
        try DataInspect(file: file, rows: .json).run(output: captured.output)
        #expect(captured.stderr.hasPrefix("\(file)\n  table       accounts (from the file name)\n"))
        let lines = captured.stdout.split(separator: "\n")
        #expect(lines.count == 52)
        #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") })
    }

    @Test func aFileNameWithoutATableIsAUsageError() throws {
        let failure = #expect(throws: CommandFailure.self) {
            try DataInspect(file: Repository.path("examples/README.md")).run(output: CapturedOutput().output)
        }
        #expect(failure?.exitCode == 2)
        #expect(
            failure?.description.hasPrefix(
                "kamwatch data inspect: cannot tell the table from the file name \"README.md\"; pass --table") == true)
    }

    @Test func anUnreadableFileExits1AfterTheReport() throws {
        let captured = CapturedOutput()
        let failure = #expect(throws: CommandFailure.self) {
            try DataInspect(file: "/nonexistent/orders.csv", table: .orders).run(output: captured.output)
        }
        #expect(failure == CommandFailure(nil, command: "data inspect", exitCode: 1))
        #expect(failure?.description == "")
        #expect(captured.stdout.hasPrefix("/nonexistent/orders.csv\n  table       orders (from --table)\n"))
        #expect(captured.stdout.contains("error: "))
    }
}
