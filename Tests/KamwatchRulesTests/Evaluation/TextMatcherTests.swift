import KamwatchVocabulary
import Testing

@testable import KamwatchRules

@Suite("Text matching")
struct TextMatcherTests {
    static let samples = [
        "", "Director", "CFO", "Генеральный ДИРЕКТОР", "Финансовый директор", "ЁЛКА ёлка", "Ѐ Ѓ Џ ѐ ѓ џ",
        "Руководитель отдела закупок", "Владелец", "Ѡ historic", "Straße", "İstanbul", "ΣΊΣΥΦΟΣ", "A\u{00A0}B",
        "Product Owner", "HEAD of sales", "émigré",
    ]

    @Test("byte folding agrees with lowercased() wherever it applies", arguments: samples)
    func foldAgreesWithLowercased(text: String) {
        let bytes = Array(text.utf8)
        var out = [UInt8](repeating: 0, count: max(bytes.count, 1))
        let folded = bytes.withUnsafeBufferPointer { cell in
            out.withUnsafeMutableBufferPointer { TextMatcher.fold(cell, into: $0.baseAddress!) }
        }
        let expected = Array(text.lowercased().utf8)
        if folded {
            #expect(Array(out.prefix(bytes.count)) == expected)
        } else {
            // Left to lowercased(): only text outside ASCII and basic Cyrillic.
            #expect(text.unicodeScalars.contains { $0.value >= 0x80 && !(0x400...0x45F).contains($0.value) })
        }
    }

    @Test("contains and equals ignore case in both scripts")
    func matching() {
        let senior = TextMatcher(alternatives: ["director", "owner", "директор", "руководитель"])
        func test(_ m: TextMatcher, _ s: String) -> Bool { Array(s.utf8).withUnsafeBufferPointer { m.test($0) } }
        #expect(test(senior, "Генеральный ДИРЕКТОР"))
        #expect(test(senior, "РУКОВОДИТЕЛЬ отдела"))
        #expect(test(senior, "Managing Director"))
        #expect(test(senior, "Product OWNER"))
        #expect(!test(senior, "Инженер"))
        #expect(!test(senior, "Direct"))
        #expect(test(senior, "Straße-Director"))  // folded by lowercased()
        let tiers = TextMatcher(equals: ["Key", "стратегический"])
        #expect(test(tiers, "KEY"))
        #expect(test(tiers, "Стратегический"))
        #expect(!test(tiers, "keys"))
        #expect(!test(tiers, ""))
    }

    @Test("equals: texts of every length against needles short and long, as lowercased() compares")
    func equalsByLength() {
        let long = String(repeating: "ab", count: 40)
        let needles = ["Key", "strategic", String(long.prefix(63)), String(long.prefix(64)), "ключ", "K"]
        let m = TextMatcher(equals: needles)
        let lower = Set(needles.map { $0.lowercased() })
        var texts = ["", "\u{212A}EY", "КЛЮЧ", "k", "KEY", "STRATEGIC", "strategic "]
        for n in 0...70 { texts.append(String(long.uppercased().prefix(n))) }
        for t in texts {
            let got = Array(t.utf8).withUnsafeBufferPointer { m.test($0) }
            #expect(got == lower.contains(t.lowercased()), "\(t)")
        }
    }
}
