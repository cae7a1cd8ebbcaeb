import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("UTF-8 validation")
struct UTF8CheckTests {
    func valid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            UTF8Check.validate(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, 0, b.count, atEnd: true) != .invalid
        }
    }

    @Test("agrees with the standard library on text and on damaged text")
    func agreesWithStandardLibrary() {
        // Pieces that make runs of Cyrillic, ASCII, three- and four-byte sequences, and bytes
        // that break them (overlong leads C0/C1, stray continuations, cut sequences).
        let pieces: [[UInt8]] = [
            Array("Привет".utf8), Array("мир".utf8), Array("abc".utf8), Array(" ".utf8), Array("€".utf8),
            Array("🙂".utf8), Array("\u{00A0}".utf8), [0xC0, 0x80], [0xC1, 0xBF], [0x80], [0xD0], [0xE2, 0x82],
            [0xD0, 0x41], [0xFF], [0xED, 0xA0, 0x80],
        ]
        var generator = SplitMix(seed: 7)
        for _ in 0..<4000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 12) {
                let piece = pieces[Int(generator.next() % UInt64(pieces.count))]
                // Mostly well-formed pieces, so that long valid runs occur.
                if piece.count >= 2 || generator.next() % 4 == 0 { bytes += piece }
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(valid(bytes) == expected, "\(bytes.map { String($0, radix: 16) })")
        }
    }

    @Test("long runs, read 64 and 16 bytes at a time, agree with the standard library")
    func longRuns() {
        let pieces: [[UInt8]] = [
            Array(String(repeating: "ascii text, ", count: 9).utf8), Array(String(repeating: "Ж", count: 40).utf8),
            Array("Привет".utf8), Array("€".utf8), Array("🙂".utf8), [0xC0, 0x80], [0x80], [0xD0], [0xD0, 0x41],
            [0xFF], [0xED, 0xA0, 0x80],
        ]
        var generator = SplitMix(seed: 11)
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 8) {
                let piece = pieces[Int(generator.next() % UInt64(pieces.count))]
                if piece.count >= 2 || generator.next() % 6 == 0 { bytes += piece }
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(valid(bytes) == expected, "\(bytes.count) bytes")
            // The same bytes at every alignment of a 64-byte block.
            if expected && !bytes.isEmpty {
                let shift = Int(generator.next() % 64)
                #expect(valid(Array(repeating: 0x20, count: shift) + bytes))
            }
        }
    }

    @Test("a run of Cyrillic with a bad byte deep inside is invalid")
    func badByteInsideARun() {
        let text = Array("Генеральный директор по развитию".utf8)
        #expect(valid(text))
        for at in text.indices where text[at] & 0xC0 == 0x80 {
            var broken = text
            broken[at] = 0x41  // a continuation byte replaced by ASCII
            #expect(!valid(broken), "byte \(at)")
        }
        for at in text.indices where text[at] >= 0xC2 {
            var broken = text
            broken[at] = 0xC1  // a lead byte made overlong
            #expect(!valid(broken), "byte \(at)")
        }
    }
}

/// A small deterministic generator for test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
