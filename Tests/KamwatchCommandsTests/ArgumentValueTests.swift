import ArgumentParser
import KamwatchCommands
import KamwatchData
import KamwatchRules
import KamwatchVocabulary
import Testing

@Suite struct ArgumentValueTests {
    @Test func fixedChoicesParseTheirNamesOnly() {
        #expect(OutputFormat(argument: "json") == .json)
        #expect(OutputFormat(argument: "xml") == nil)
        #expect(OutputFormat.allValueStrings == ["text", "json"])
        #expect(Language(argument: "ru") == .ru)
        #expect(Language(argument: "de") == nil)
        #expect(RowFormat.allValueStrings == ["json"])
        #expect(TableName(argument: "service_costs") == .serviceCosts)
        #expect(TableName.allValueStrings == TableName.allCases.map(\.rawValue))
    }

    @Test func failuresNameTheirCommand() {
        #expect(CommandFailure("no rules").description == "kamwatch: no rules\n")
        #expect(CommandFailure("bad", command: "digest", exitCode: 1).description == "kamwatch digest: bad\n")
        #expect(CommandFailure(nil, command: "rules check").description == "")
        #expect(CommandFailure("x").exitCode == 2)
    }
}
