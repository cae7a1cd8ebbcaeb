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

/// The names built from a batch's shared time stamp and the plain ids' fast path are the names
/// built character by character.
@Suite struct OutboxFileNameTests {
    /// `sanitize` as written character by character, for comparison.
    static func slowSanitize(_ text: String) -> String {
        var out = ""
        var count = 0
        var previousDot = false
        for u in text.unicodeScalars {
            guard count < OutboxFileName.partLimit else { break }
            var c: Character
            switch u {
            case "A"..."Z", "a"..."z", "0"..."9", "-", "_": c = Character(u)
            case ".": c = (previousDot || count == 0) ? "_" : "."
            default: c = "_"
            }
            previousDot = c == "."
            out.append(c)
            count += 1
        }
        return out.isEmpty ? "_" : out
    }

    @Test(
        arguments: [
            "", "K-142", "discount-creep", ".", "..", ".x", "x.", "a.b", "a..b", "a.b.c", "a_b-c.D9", "é", "a b",
            "a/b", String(repeating: "x", count: 64), String(repeating: "x", count: 65),
            String(repeating: "a.", count: 40), "Ромашка", "x\u{0}y", "~", "K-1\n",
        ])
    func sanitizeAsCharacterByCharacter(id: String) {
        #expect(OutboxFileName.sanitize(id) == Self.slowSanitize(id))
    }

    @Test func nameFromAStampIsNameFromTheTime() {
        let stamp = RFC3339.compact(Records.t0)
        for (seq, rule, account) in [(1, "r", "K-1"), (42, "discount-creep", "../x"), (1_000_000_000_000, "a.b", "")] {
            let name = OutboxFileName.name(seq: Int64(seq), stamp: stamp, rule: rule, accountID: account)
            #expect(name == OutboxFileName.name(seq: Int64(seq), time: Records.t0, rule: rule, accountID: account))
            #expect(
                name
                    == "\(OutboxFileName.seqPrefix(Int64(seq)))-\(stamp)-\(Self.slowSanitize(rule))-"
                    + "\(Self.slowSanitize(account)).json")
        }
    }
}
