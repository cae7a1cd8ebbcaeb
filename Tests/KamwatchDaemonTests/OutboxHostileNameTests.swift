import Foundation
import KamwatchDaemon
import KamwatchState
import KamwatchVocabulary
import Testing

/// Hostile account ids and names: outbox file names stay in the directory, the JSON stays intact.
@Suite struct OutboxHostileNameTests {
    @Test(arguments: ["../../etc/x", "a/b", "..", "a\nb", "100%", "%2e%2e%2f", String(repeating: "é", count: 5_000)])
    func aFileNameIsConfinedToTheOutbox(id: String) {
        let name = OutboxFileName.name(seq: 1, time: Records.t0, rule: "r", accountID: id)
        // One plain name in the directory: no separator, no line break, not a dot name.
        #expect(!name.contains("/") && !name.contains("\n") && !name.hasPrefix("."))
        #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 })
        #expect(name.utf8.count < 255)
        #expect(OutboxFileName.seq(of: name) == 1)
    }

    @Test func namesWithNewlinesEqualsAndControlsStayOneJSONObject() throws {
        let hostile = "Acme\n=KAMWATCH_RULE=x\u{1}\u{7F}\"\\"
        let r = TransitionRecord(
            seq: 3, time: Records.t0, state: .firing,
            alert: Alert(
                rule: "discount-creep", accountID: "../\(hostile)", accountName: hostile, severity: .warning,
                message: hostile, evidence: [:], owner: hostile, lead: nil),
            previousSeverity: nil)
        let text = OutboxDocument.json(r)
        #expect(text.filter { $0 == "\n" }.count == 1)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["account_name"] as? String == hostile)
        #expect(object["account_id"] as? String == "../\(hostile)")
        #expect(object["message"] as? String == hostile)
    }
}
