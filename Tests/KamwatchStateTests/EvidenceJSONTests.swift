import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Testing

@Suite("Evidence JSON")
struct EvidenceJSONTests {
    @Test("evidence keeps its order and types through encoding")
    func roundTrip() {
        let evidence: [(key: String, value: EvidenceValue)] = [
            ("n", .number(1)), ("share", .number(0.0625)), ("event", .text("merger \"Ωmega\"\n")),
            ("flag", .bool(true)), ("none", .null), ("a", .number(-2.5)),
        ]
        let json = EvidenceJSON.encode(evidence)
        #expect(json == #"{"n":1,"share":0.0625,"event":"merger \"Ωmega\"\n","flag":true,"none":null,"a":-2.5}"#)
        let back = EvidenceJSON.decode(json)
        #expect(back.map(\.key) == evidence.map(\.key))
        #expect(back.map(\.value) == evidence.map(\.value))
    }

    @Test("non-finite numbers become null")
    func nonFinite() {
        #expect(EvidenceJSON.encode([("x", .number(.infinity))]) == #"{"x":null}"#)
    }

    @Test("malformed JSON decodes to nothing")
    func malformed() {
        #expect(EvidenceJSON.decode("[1,2]").isEmpty)
        #expect(EvidenceJSON.decode(#"{"a":}"#).isEmpty)
    }
}
