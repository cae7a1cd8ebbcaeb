import Foundation
import GRDB
import KamwatchVocabulary
import Testing

@testable import KamwatchState

@Suite("Stored JSON read back")
struct StoredJSONReadingTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.123)

    static let numbers: [Double] = [
        0, -0.0, 1, -1, 0.1, 100, 1e16, 1e-7, 123_456_789.125, 2.5e300, 1e300, -1e300, 1e-300, 5e-324,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNormalMagnitude, 0.30000000000000004, -42.5,
        9_007_199_254_740_993, 12_461_974.620000001, 1.7976931348623157e308,
    ]

    static let texts = [
        "", "plain", "a/b", "q\"x", "back\\slash", "tab\tnl\n\r", "\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f}", "Ромашка é",
        "\u{2028}\u{2029}", "😀 𝄞", "true", "null", "1.5", "[\"x\",1]",
    ]

    /// Every kind of value the evidence holds, each text also as a name.
    static var evidences: [Evidence] {
        var all: [Evidence] = [Evidence()]
        for n in numbers { all.append(["n": .number(n)]) }
        for t in texts { all.append([t: .text(t)]) }
        all.append(["t": .bool(true), "f": .bool(false), "z": .null, "nan": .number(.nan), "inf": .number(.infinity)])
        var mixed = Evidence()
        for (i, t) in texts.enumerated() {
            mixed.append(t, .number(numbers[i % numbers.count]))
            mixed.append("x\(i)", i % 3 == 0 ? .bool(i % 2 == 0) : i % 3 == 1 ? .text(t) : .null)
        }
        all.append(mixed)
        return all
    }

    private func decoded<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try OpenAlert.databaseJSONDecoder(for: "evidence").decode(T.self, from: Data(text.utf8))
    }

    private func read<T>(_ text: String, _ reader: (UnsafeRawBufferPointer) -> T?) -> T? {
        Array(text.utf8).withUnsafeBytes(reader)
    }

    /// Numbers compared by their bits: `-0` and `0` are equal as doubles, not as text.
    private func sameBits(_ a: Evidence, _ b: Evidence) -> Bool {
        a.count == b.count
            && zip(a, b).allSatisfy { x, y in
                guard x.key == y.key else { return false }
                switch (x.value, y.value) {
                case (.number(let p), .number(let q)): return p.bitPattern == q.bitPattern
                default: return x.value == y.value
                }
            }
    }

    @Test("what StoredJSON writes reads back as JSONDecoder reads it, bit for bit")
    func evidenceAsDecoder() throws {
        for evidence in Self.evidences {
            let text = StoredJSON.evidence(evidence)
            let fast = try #require(read(text, StoredJSON.readEvidence), "not taken: \(text)")
            let slow = try decoded(Evidence.self, text)
            #expect(sameBits(fast, slow), "\(text)")
        }
    }

    @Test("numbers in any of JSON's forms read as JSONDecoder reads them")
    func numberForms() throws {
        let forms = [
            "0", "-0", "-0.0", "0.0", "1.0", "1e300", "1E+300", "1e-300", "-1.5e-3", "2.5E300",
            "123456789012345678901234567890",
            "9007199254740993", "0.1000000000000000055511151231257827", "4.9e-324", "0e-400", "1.7976931348623157e308",
        ]
        for form in forms {
            let text = "[[\"n\",\(form)]]"
            let slow = try decoded(Evidence.self, text)
            let fast = try #require(read(text, StoredJSON.readEvidence), "not taken: \(text)")
            #expect(sameBits(fast, slow), "\(text)")
        }
    }

    @Test(
        "text the writer never produces is left to JSONDecoder",
        arguments: [
            "[ [\"n\",1] ]", "[[\"n\",1],]", "[[\"n\",01]]", "[[\"n\",1.]]", "[[\"n\",.5]]", "[[\"n\",+1]]",
            "[[\"n\",1e400]]", "[[\"n\",-1e400]]", "[[\"n\",1e-400]]", "[[\"n\",1,2]]", "[[\"n\"]]",
            "[[\"n\",\"\\ud800\"]]",
            "[[\"n\",\"\\x\"]]", "[[\"n\",\"a\tb\"]]", "[[\"n\",nul]]", "[[\"n\",True]]", "[[1,1]]", "{\"n\":1}", "[]x",
            "", "[", "[[\"n\",\"abc]]", "[[\"n\",\"\\u12\"]]",
        ])
    func declined(text: String) {
        #expect(read(text, StoredJSON.readEvidence) == nil)
    }

    @Test("escapes and surrogate pairs read as JSONDecoder reads them")
    func escapes() throws {
        let text = #"[["\u0041\u00e9\u2028\ud83d\ude00\/\b\f\n\r\t\"\\","\u0000x"]]"#
        let fast = try #require(read(text, StoredJSON.readEvidence))
        #expect(fast == (try decoded(Evidence.self, text)))
        #expect(fast.entries.first?.key == "Aé\u{2028}😀/\u{8}\u{c}\n\r\t\"\\")
    }

    @Test("messages read back as JSONDecoder reads them")
    func localized() throws {
        for t in Self.texts {
            let text = StoredJSON.localized(LocalizedText(en: "en " + t, ru: t))
            let fast = try #require(read(text, StoredJSON.readLocalized), "not taken: \(text)")
            #expect(fast == (try decoded(LocalizedText.self, text)))
        }
        for other in [
            #"{"ru":"b","en":"a"}"#, #"{"en":"a","ru":"b","de":"c"}"#, #"{"en":"a"}"#, #"{ "en":"a","ru":"b"}"#,
        ] {
            #expect(read(other, StoredJSON.readLocalized) == nil)
        }
    }

    @Test("open alerts read by column are the ones Codable reads")
    func openAlertsAsCodable() throws {
        let store = try StateStore.inMemory()
        var current: [Alert] = []
        for (i, evidence) in Self.evidences.enumerated() {
            let text = Self.texts[i % Self.texts.count]
            current.append(
                Alert(
                    rule: "r\(i % 3)", accountID: "A\(i)", accountName: text,
                    severity: i % 2 == 0 ? .critical : .warning,
                    message: "m " + text, evidence: evidence, owner: i % 3 == 0 ? nil : text,
                    lead: i % 4 == 0 ? nil : "l",
                    revenueAtStake: i % 2 == 0 ? nil : Self.numbers[i % Self.numbers.count],
                    messageID: i % 2 == 0 ? nil : "abc",
                    messages: i % 3 == 1 ? nil : LocalizedText(en: "en " + text, ru: "ru " + text)))
        }
        try store.apply(TransitionPlanner.plan(current: current, open: []), at: t0)
        // One row as an older version stored it (SQLite's own JSON, with spaces), one silenced.
        try store.db.write { db in
            try db.execute(
                sql: """
                    UPDATE open_alerts SET evidence = '[ ["a", 1.0], ["b", "x"] ]', silenced_by = 3
                    WHERE account_id = 'A1'
                    """)
        }
        let fast = try store.openAlerts()
        let slow = try store.db.read {
            try OpenAlert.fetchAll($0, sql: "SELECT * FROM open_alerts ORDER BY rule, account_id")
        }
        #expect(fast.count == current.count)
        #expect(fast == slow)
        for (a, b) in zip(fast, slow) { #expect(sameBits(a.evidence, b.evidence)) }
        #expect(fast.first { $0.accountID == "A1" }?.evidence == ["a": .number(1), "b": .text("x")])
        #expect(fast.first { $0.accountID == "A1" }?.silencedBy == 3)
    }

    @Test(
        "an unknown or missing stored value of an open alert is an error, as with Codable",
        arguments: [
            "severity = 'fatal'", "evidence = '{\"n\":1}'", "evidence = 'x'", "messages = '[1]'", "messages = ''",
            "since = 'x'",
        ])
    func unknownOpenValues(change: String) throws {
        let store = try StateStore.inMemory()
        try store.apply(TransitionPlanner.plan(current: [TestAlerts.snapshot("r", "1")], open: []), at: t0)
        try store.db.write { try $0.execute(sql: "UPDATE open_alerts SET \(change)") }
        #expect(throws: (any Error).self) { try store.openAlerts() }
        #expect(throws: (any Error).self) {
            try store.db.read { try OpenAlert.fetchAll($0, sql: "SELECT * FROM open_alerts") }
        }
    }
}
