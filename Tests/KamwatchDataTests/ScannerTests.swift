import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Record scanner")
struct ScannerTests {
    /// Bytes given in reads of varying sizes, so records cross buffer refills and 64-byte blocks.
    final class ChoppySource: ByteSource {
        let bytes: [UInt8]
        var at = 0
        var generator: SplitMix

        init(_ bytes: [UInt8], seed: UInt64) {
            self.bytes = bytes
            generator = SplitMix(seed: seed)
        }

        func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(ReadFailure) -> Int {
            let n = min(count, bytes.count - at, 1 + Int(generator.next() % 300))
            for i in 0..<n { buffer[i] = bytes[at + i] }
            at += n
            return n
        }
    }

    struct Field: Equatable, CustomStringConvertible {
        var bytes: [UInt8]
        var quoted: Bool
        var description: String { (quoted ? "q:" : "") + String(decoding: bytes, as: UTF8.self) }
    }

    struct Record: Equatable {
        var fields: [Field]
        var newlines: Int
    }

    /// The records of `bytes` byte by byte: quotes toggle, delimiters and line ends outside
    /// quotes split, a carriage return before a line feed is dropped, and an unterminated record
    /// runs to the end.
    static func reference(_ bytes: [UInt8], delimiter: UInt8, lineEnd: UInt8) -> [Record] {
        var records: [Record] = []
        var fields: [Field] = []
        var field: [UInt8] = []
        var quoted = false
        var sawQuote = false
        var newlines = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                quoted.toggle()
                sawQuote = true
                field.append(c)
            } else if c == lineEnd {
                newlines += 1
                if quoted {
                    field.append(c)
                } else {
                    if field.last == UInt8(ascii: "\r") { field.removeLast() }
                    fields.append(Field(bytes: field, quoted: sawQuote))
                    records.append(Record(fields: fields, newlines: newlines))
                    fields = []
                    field = []
                    sawQuote = false
                    newlines = 0
                }
            } else if c == delimiter && !quoted {
                fields.append(Field(bytes: field, quoted: sawQuote))
                field = []
                sawQuote = false
            } else {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty || sawQuote {
            fields.append(Field(bytes: field, quoted: sawQuote))
            records.append(Record(fields: fields, newlines: newlines))
        }
        return records
    }

    static func scanned(_ bytes: [UInt8], delimiter: UInt8, lineEnd: UInt8, seed: UInt64) throws -> [Record] {
        let reader = RecordReader(
            source: ChoppySource(bytes, seed: seed), offset: 0, checkUTF8: true, blockSize: 64 + Int(seed % 200))
        reader.setDialect(CSVDialect(delimiter: delimiter, lineEnd: lineEnd))
        var records: [Record] = []
        while try reader.next() {
            var fields: [Field] = []
            for f in 0..<reader.fieldCount {
                let cell = UnsafeBufferPointer(
                    start: reader.buffer + reader.fieldStart[f], count: reader.fieldEnd[f] - reader.fieldStart[f])
                fields.append(Field(bytes: Array(cell), quoted: reader.fieldQuoted[f]))
            }
            records.append(Record(fields: fields, newlines: reader.recordNewlines))
        }
        #expect(!reader.invalidUTF8)
        return records
    }

    @Test("records and fields split from the block masks agree with a byte-by-byte splitter")
    func masksAgreeWithBytes() throws {
        let pieces: [String] = [
            "abc", "12345.67", "2026-11-20", "Привет мир", "\"quoted, cell\"", "\"two\nlines\"", "\"a \"\"b\"\" c\"",
            "\"", "\r", " ", "\u{00A0}", "€", "🙂", String(repeating: "x", count: 70),
            String(repeating: "Ж", count: 40),
        ]
        var generator = SplitMix(seed: 3)
        for round in 0..<600 {
            let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][round % 3]
            let lineEnd = round % 5 == 0 ? UInt8(ascii: "\r") : UInt8(ascii: "\n")
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 60) {
                switch generator.next() % 4 {
                case 0: bytes.append(delimiter)
                case 1: bytes.append(lineEnd)
                default: bytes += Array(pieces[Int(generator.next() % UInt64(pieces.count))].utf8)
                }
            }
            let expected = Self.reference(bytes, delimiter: delimiter, lineEnd: lineEnd)
            let got = try Self.scanned(bytes, delimiter: delimiter, lineEnd: lineEnd, seed: generator.next())
            #expect(got == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test("cells all quoted, as some CRMs write them, split as byte by byte at every block position")
    func quotedCellsAgreeWithBytes() throws {
        var generator = SplitMix(seed: 11)
        let inner: [[UInt8]] = ["a", "b", ",", ";", "\t", "\n", "\r", "\"\"", "Ж", "x"].map { Array($0.utf8) }
        for round in 0..<400 {
            let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][round % 3]
            let lineEnd = round % 7 == 0 ? UInt8(ascii: "\r") : UInt8(ascii: "\n")
            var bytes: [UInt8] = Array(repeating: UInt8(ascii: "p"), count: Int(generator.next() % 64))
            bytes.append(lineEnd)
            for _ in 0..<Int(1 + generator.next() % 6) {
                for cell in 0..<Int(1 + generator.next() % 12) {
                    if cell > 0 { bytes.append(delimiter) }
                    bytes.append(UInt8(ascii: "\""))
                    for _ in 0..<Int(generator.next() % 140) {
                        bytes += inner[Int(generator.next() % UInt64(inner.count))]
                    }
                    bytes.append(UInt8(ascii: "\""))
                }
                if generator.next() % 3 == 0 { bytes.append(UInt8(ascii: "\r")) }
                bytes.append(lineEnd)
            }
            // Sometimes a last record whose quote is never closed.
            if round % 5 == 0 { bytes += Array("\"open\(Character(UnicodeScalar(delimiter)))cell".utf8) }
            let expected = Self.reference(bytes, delimiter: delimiter, lineEnd: lineEnd)
            let got = try Self.scanned(bytes, delimiter: delimiter, lineEnd: lineEnd, seed: generator.next())
            #expect(got == expected, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    @Test("UTF-8 checked from the block masks agrees with the standard library at every alignment")
    func utf8AgreesWithStandardLibrary() throws {
        let pieces: [[UInt8]] = [
            Array(String(repeating: "ascii, text\n", count: 6).utf8), Array(String(repeating: "Ж", count: 33).utf8),
            Array("Привет,мир\n".utf8), Array("€".utf8), Array("🙂".utf8), [0xC0, 0x80], [0x80], [0xD0], [0xD0, 0x41],
            [0xFF], [0xED, 0xA0, 0x80], [0xC2], [0xDF, 0xBF],
        ]
        var generator = SplitMix(seed: 19)
        for _ in 0..<4000 {
            var bytes: [UInt8] = Array(repeating: UInt8(ascii: "a"), count: Int(generator.next() % 64))
            for _ in 0..<Int(generator.next() % 10) {
                let piece = pieces[Int(generator.next() % UInt64(pieces.count))]
                if piece.count >= 4 || generator.next() % 5 == 0 { bytes += piece }
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            let reader = RecordReader(
                source: ChoppySource(bytes, seed: generator.next()), offset: 0, checkUTF8: true, blockSize: 128)
            while try reader.next() {}
            #expect(reader.invalidUTF8 == !expected, "\(bytes.map { String($0, radix: 16) })")
        }
    }

    @Test("plain numbers read eight digits at a time have the full parser's value")
    func plainNumbersAgree() {
        let alphabet = Array("0123456789.-+ ,e".utf8)
        var generator = SplitMix(seed: 23)
        var fast = 0
        let padded = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
        defer { padded.deallocate() }
        for round in 0..<200_000 {
            let n = 1 + Int(generator.next() % 18)
            for i in 0..<64 { padded[i] = UInt8(truncatingIfNeeded: generator.next()) }
            for i in 0..<n {
                padded[i] =
                    round % 3 == 0
                    ? alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    : (generator.next() % 10 == 0
                        ? UInt8(ascii: ".") : UInt8(ascii: "0") + UInt8(generator.next() % 10))
            }
            if round % 4 == 1 { padded[0] = UInt8(ascii: "-") }
            guard let value = CellParser.plainNumberPadded(padded, n) else { continue }
            fast += 1
            let full = try? CellParser.number(padded, n, decimalComma: false).get()
            #expect(
                full?.bitPattern == value.bitPattern,
                "\(String(decoding: UnsafeBufferPointer(start: padded, count: n), as: UTF8.self))")
        }
        #expect(fast > 50_000)
    }
    @Test("dates read at once have the full parser's day")
    func isoDatesAgree() {
        let alphabet = Array("0123456789-.T ".utf8)
        var generator = SplitMix(seed: 29)
        var fast = 0
        let padded = UnsafeMutablePointer<UInt8>.allocate(capacity: 32)
        defer { padded.deallocate() }
        for _ in 0..<100_000 {
            for i in 0..<32 { padded[i] = UInt8(truncatingIfNeeded: generator.next()) }
            let year = 1800 + Int(generator.next() % 500)
            let month = Int(generator.next() % 14)
            let day = Int(generator.next() % 33)
            let text = Array("\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)".utf8)
            for i in 0..<10 { padded[i] = text[i] }
            if generator.next() % 4 == 0 {
                padded[Int(generator.next() % 10)] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let n = generator.next() % 5 == 0 ? 8 + Int(generator.next() % 5) : 10
            let full = CellParser.date(padded, n)
            let quick = CellParser.datePadded(padded, n)
            if case .success = quick { fast += 1 }
            switch (full, quick) {
            case (.success(let a), .success(let b)): #expect(a == b)
            case (.failure(let a), .failure(let b)): #expect(a == b)
            default: Issue.record("\(full) and \(quick) differ")
            }
        }
        #expect(fast > 30_000)
    }
}
