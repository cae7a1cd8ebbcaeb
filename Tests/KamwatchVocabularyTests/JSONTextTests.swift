import Foundation
import KamwatchVocabulary
import Testing

struct JSONTextTests {
    @Test(
        arguments: [
            ("plain", #""plain""#),
            ("ООО «Вектор»", #""ООО «Вектор»""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("a\\b", #""a\\b""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
            ("\u{01}", #""\u0001""#),
            ("\u{2028}", #""\u2028""#),
            ("→ arrow", #""→ arrow""#),
        ])
    func quotes(text: String, expected: String) {
        #expect(JSONText.quote(text) == expected)
        var bytes: [UInt8] = Array("x".utf8)
        JSONText.appendString(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + expected)
    }

    @Test(arguments: ["", "plain", "ООО «Вектор»", "say \"hi\"\n\\", "\u{01}\u{1F}\u{2029}", "emoji 🙂"])
    func roundTripsThroughJSONSerialization(text: String) throws {
        let data = Data(("[" + JSONText.quote(text) + "]").utf8)
        let decoded = try #require(try JSONSerialization.jsonObject(with: data) as? [String])
        #expect(decoded == [text])
    }
}
