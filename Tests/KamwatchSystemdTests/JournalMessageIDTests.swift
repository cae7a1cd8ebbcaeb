import Testing

@testable import KamwatchSystemd

@Suite("Journal message ids")
struct JournalMessageIDTests {
    @Test(
        "32 hex digits, any case, dashes allowed",
        arguments: [
            ("cac11b3565754bf8950e42e6a175a66e", "cac11b3565754bf8950e42e6a175a66e"),
            ("CAC11B3565754BF8950E42E6A175A66E", "cac11b3565754bf8950e42e6a175a66e"),
            ("cac11b35-6575-4bf8-950e-42e6a175a66e", "cac11b3565754bf8950e42e6a175a66e"),
        ])
    func accepted(text: String, expected: String) {
        #expect(JournalMessageID(text)?.rawValue == expected)
    }

    @Test(arguments: [
        "", "cac11b3565754bf8950e42e6a175a66", "cac11b3565754bf8950e42e6a175a66ef", "zac11b3565754bf8950e42e6a175a66e",
    ])
    func refused(text: String) {
        #expect(JournalMessageID(text) == nil)
        #expect(throws: JournalMessageIDError(text: text)) { try JournalMessageID(validating: text) }
    }
}
