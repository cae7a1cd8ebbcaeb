import Testing

@testable import KamwatchSystemd

@Suite("Journal field names")
struct JournalFieldNameTests {
    @Test(
        "journald's names are accepted",
        arguments: [
            "MESSAGE", "KAMWATCH_RULE", "A", "X9", "CODE_LINE", "A_B_C", String(repeating: "Z", count: 64),
        ])
    func accepted(name: String) throws {
        #expect(try JournalFieldName(name).rawValue == name)
    }

    @Test(
        "anything journald would drop is refused with the reason",
        arguments: [
            ("", "is empty"),
            ("_PID", "starts with '_', which journald reserves for trusted fields"),
            ("kamwatch_rule", "contains 'k'; only A-Z, 0-9 and '_' are allowed"),
            ("KAMWATCH-RULE", "contains '-'; only A-Z, 0-9 and '_' are allowed"),
            ("KAMWATCH RULE", "contains ' '; only A-Z, 0-9 and '_' are allowed"),
            ("ПРАВИЛО", "contains '\\u{041F}'; only A-Z, 0-9 and '_' are allowed"),
            ("A=B", "contains '='; only A-Z, 0-9 and '_' are allowed"),
            (String(repeating: "Z", count: 65), "is 65 characters long, at most 64 are allowed"),
        ])
    func refused(name: String, reason: String) {
        #expect(throws: JournalFieldNameError(name: name, reason: reason)) {
            try JournalFieldName(name)
        }
    }

    @Test func errorTextNamesTheField() {
        let error = JournalFieldNameError(name: "rule", reason: "contains 'r'; only A-Z, 0-9 and '_' are allowed")
        #expect(
            error.description == "invalid journal field name 'rule': it contains 'r'; only A-Z, 0-9 and '_' are allowed"
        )
    }

    @Test("entries refuse invalid names instead of dropping them")
    func entryAppendThrows() {
        var entry = JournalEntry(message: "m", priority: .info)
        #expect(throws: JournalFieldNameError.self) { try entry.append("account-id", "A1") }
        #expect(entry.fields.isEmpty)
    }

    @Test(
        "metadata keys are sanitised into valid names",
        arguments: [
            ("account_id", "KAMWATCH_ACCOUNT_ID"),
            ("file.name", "KAMWATCH_FILE_NAME"),
            ("счёт", "KAMWATCH_____"),
            ("", "KAMWATCH_"),
            (String(repeating: "a", count: 80), "KAMWATCH_" + String(repeating: "A", count: 55)),
        ])
    func sanitizing(key: String, expected: String) throws {
        let name = JournalFieldName.sanitizing(key, prefix: "KAMWATCH_")
        #expect(name.rawValue == expected)
        #expect(try JournalFieldName(name.rawValue) == name)
    }

    @Test func sanitizingWithoutPrefixNeverStartsWithUnderscore() throws {
        let name = JournalFieldName.sanitizing("_x", prefix: "")
        #expect(try JournalFieldName(name.rawValue).rawValue == "X_X")
    }
}
