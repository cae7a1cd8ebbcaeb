import Foundation
import KamwatchVocabulary
import Testing

@Suite("Evidence")
struct EvidenceTests {
    static let sample: Evidence = [
        "n": .number(1), "share": .number(0.0625), "event": .text("merger \"Ωmega\"\n"), "flag": .bool(true),
        "none": .null, "a": .number(-2.5),
    ]

    @Test("the JSON object keeps the rule's order and the values' types")
    func jsonObject() {
        #expect(
            Self.sample.jsonObject
                == #"{"n":1,"share":0.0625,"event":"merger \"Ωmega\"\n","flag":true,"none":null,"a":-2.5}"#)
    }

    @Test("Codable keeps order and types through JSONEncoder and JSONDecoder")
    func codableRoundTrip() throws {
        for formatting: JSONEncoder.OutputFormatting in [[], [.sortedKeys]] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = formatting
            let data = try encoder.encode(Self.sample)
            let back = try JSONDecoder().decode(Evidence.self, from: data)
            #expect(back == Self.sample)
            #expect(back.map(\.key) == ["n", "share", "event", "flag", "none", "a"])
        }
    }

    @Test("non-finite numbers are null in every JSON form")
    func nonFinite() throws {
        let evidence: Evidence = ["x": .number(.infinity)]
        #expect(evidence.jsonObject == #"{"x":null}"#)
        let back = try JSONDecoder().decode(Evidence.self, from: try JSONEncoder().encode(evidence))
        #expect(back["x"] == .null)
    }

    @Test("a stored value that is not evidence is an error")
    func malformed() {
        for text in [#"{"a":1}"#, #"[["a"]]"#, #"[[1,2]]"#, #"[["a",[1]]]"#] {
            #expect(throws: (any Error).self, "\(text)") {
                try JSONDecoder().decode(Evidence.self, from: Data(text.utf8))
            }
        }
    }

    @Test("lookup by name")
    func lookup() {
        #expect(Self.sample["share"] == .number(0.0625))
        #expect(Self.sample["missing"] == nil)
    }
}
