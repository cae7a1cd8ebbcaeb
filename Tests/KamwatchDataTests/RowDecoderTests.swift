import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Row decoder")
struct RowDecoderTests {
    /// Cells of every length around the 16- and 32-byte steps of the padded copies.
    static func text(_ generator: inout SplitMix, alphabet: [String]) -> String {
        let length = Int(generator.next() % 75)
        var s = ""
        for _ in 0..<length { s += alphabet[Int(generator.next() % UInt64(alphabet.count))] }
        return s
    }

    @Test("cells copied 16 bytes at a time are the bytes of the general append")
    func paddedCopies() {
        var generator = SplitMix(seed: 11)
        let padded = TextBuilder()
        let plain = TextBuilder()
        let loweredPadded = TextBuilder()
        let lowered = TextBuilder()
        let alphabet = ["a", "Z", "Q", "@", "[", "`", "{", "0", " ", "ж", "Ё", "é", "€"]
        for round in 0..<2_000 {
            // Mostly ASCII, sometimes not, so the lower-casing falls back to `String`.
            let ascii = round % 3 != 0
            let cell = Array(Self.text(&generator, alphabet: ascii ? Array(alphabet[0..<9]) : alphabet).utf8)
            // The cell at every offset in a buffer with 16 bytes of slack after it.
            let offset = Int(generator.next() % 64)
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: offset + cell.count + 16)
            defer { buffer.deallocate() }
            buffer.initialize(repeating: UInt8(ascii: "X"), count: offset + cell.count + 16)
            (buffer + offset).update(from: cell, count: cell.count)
            let p = UnsafePointer(buffer + offset)
            padded.appendPadded(p, cell.count)
            plain.append(p, cell.count)
            loweredPadded.appendLowercasedPadded(p, cell.count)
            lowered.appendLowercased(p, cell.count)
        }
        #expect(Array(padded.bytes.buffer) == Array(plain.bytes.buffer))
        #expect(Array(padded.ends.buffer) == Array(plain.ends.buffer))
        #expect(Array(loweredPadded.bytes.buffer) == Array(lowered.bytes.buffer))
        #expect(Array(loweredPadded.ends.buffer) == Array(lowered.ends.buffer))
    }

    /// A cell as a CSV writer might put it: plain, quoted (quotes doubled), or padded with blanks.
    static func written(_ cell: String, _ generator: inout SplitMix) -> String {
        let quoted = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let plain = !cell.contains("\"") && !cell.contains(",")
        switch generator.next() % 4 {
        case 0: return quoted
        case 1 where plain: return "  " + cell + " "
        default: return plain ? cell : quoted
        }
    }

    @Test("random accounts, quoted and blank-padded, CRLF, empty and long cells: each cell as written")
    func accountsAsWritten() throws {
        var generator = SplitMix(seed: 5)
        let alphabet = ["a", "B", "z", " ", "\"", ",", "ж", "Ш", "é", "7", "-", "@", "."]
        var lines = ["account_id,name,tier,owner,lead,parent_id,industry"]
        var expected: [String] = []
        for row in 0..<3_000 {
            var cells = ["A\(row)"]
            for _ in 0..<6 { cells.append(Self.text(&generator, alphabet: alphabet)) }
            // The name is required: an empty one makes a bad row, checked elsewhere.
            if cells[1].trimmingCharacters(in: .whitespaces).isEmpty { cells[1] = "n\(row)" }
            cells[2] = ["Gold", "STANDARD", "Ключевой", "", "ÉLITE", "  Mixed Case  "][Int(generator.next() % 6)]
            let end = generator.next() % 3 == 0 ? "\r\n" : "\n"
            lines.append(cells.map { Self.written($0, &generator) }.joined(separator: ",") + end)
            expected.append(
                cells.enumerated().map { k, c in
                    let trimmed = c.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty { return "-" }
                    return k == 2 ? trimmed.lowercased() : trimmed
                }.joined(separator: "|"))
        }
        let text = lines[0] + "\n" + lines.dropFirst().joined()
        for chunkSize in [1 << 30, 4096] {
            let dir = try ScratchDirectory(["accounts.csv": text])
            let read = TableReader.read([.accounts: ["accounts.csv"]], in: dir.path, chunkSize: chunkSize)
            let data = try #require(read[.accounts])
            #expect(data.issues.isEmpty)
            #expect(rows(data) == expected)
        }
    }

    @Test("random orders with empty, bad and long numbers: the same values and reports as the full parser")
    func ordersNumbers() throws {
        var generator = SplitMix(seed: 9)
        let numbers = [
            "12", "-3.5", "+7", "0.25", "123456789012345", "1234567890123456", "1 234.5", "1.2.3", "", " ",
            "abc", "12.", ".5", "99999999999999999999.5", "\"42\"", "\" 8.5 \"", "-", "1e5",
        ]
        var lines = ["order_id,account_id,date,list_amount,net_amount,cogs"]
        for row in 0..<3_000 {
            var cells = ["O\(row)", "A\(row % 17)", row % 41 == 0 ? "2026-02-30" : "2025-0\(row % 9 + 1)-1\(row % 10)"]
            for _ in 0..<3 { cells.append(numbers[Int(generator.next() % UInt64(numbers.count))]) }
            lines.append(cells.joined(separator: ",") + (row % 4 == 0 ? "\r\n" : "\n"))
        }
        let text = lines[0] + "\n" + lines.dropFirst().joined()
        let data = try readTable(.orders, text)
        var good: [String] = []
        var bad = 0
        for line in lines.dropFirst() {
            let cells = line.trimmingCharacters(in: .newlines).split(separator: ",", omittingEmptySubsequences: false)
                .map(String.init)
            let values = cells[3...].map { cell -> Double?? in
                var t = cell.replacingOccurrences(of: "\"", with: "").trimmingCharacters(in: .whitespaces)
                if t.isEmpty { return .some(nil) }
                if t.hasPrefix("+") { t.removeFirst() }
                if t.contains(" ") { return t == "1 234.5" ? 1234.5 : nil }
                guard t.allSatisfy({ "0123456789.-".contains($0) }), !t.hasSuffix("."),
                    let v = Double(t)
                else { return nil }
                return v
            }
            let required = values.prefix(2).allSatisfy { $0 != nil && $0! != nil }
            if cells[2] == "2026-02-30" || !required || values.contains(where: { $0 == nil }) {
                bad += 1
                continue
            }
            let shown = values.map { v in v!.map { "\($0)" } ?? "-" }
            good.append(([cells[0], cells[1], cells[2]] + shown).joined(separator: "|"))
        }
        #expect(rows(data) == good)
        #expect(data.files.map(\.badRows) == [bad])
    }
}
