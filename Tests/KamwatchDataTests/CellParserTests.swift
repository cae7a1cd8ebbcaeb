import Foundation
import KamwatchVocabulary
import Testing

@testable import KamwatchData

@Suite("Numbers and dates")
struct CellParserTests {
    func number(_ text: String, semicolon: Bool = false) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            try? CellParser.number(b.baseAddress!, b.count, decimalComma: semicolon).get()
        }
    }

    func date(_ text: String) -> Day? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            (try? CellParser.date(b.baseAddress!, b.count).get()).map { Day(ordinal: $0) }
        }
    }

    @Test(
        "numbers accepted in any file",
        arguments: [
            ("0", 0.0), ("42", 42), ("-42", -42), ("+7", 7), ("1234.56", 1234.56), ("-0.5", -0.5),
            (".5", 0.5), ("007", 7), ("1 234", 1234), ("1 234 567.25", 1_234_567.25),
            ("1\u{00A0}234", 1234), ("12\u{202F}345.5", 12345.5), ("-1 000", -1000),
            ("123456789012345678", 1.2345678901234568e17), ("0.1234567890123456789", 0.1234567890123456789),
        ])
    func accepted(text: String, value: Double) {
        #expect(number(text) == value)
        #expect(number(text, semicolon: true) == value)
    }

    @Test(
        "decimal comma only with ';'",
        arguments: [("1,5", 1.5), ("-1 234,56", -1234.56), ("0,01", 0.01)])
    func decimalComma(text: String, value: Double) {
        #expect(number(text, semicolon: true) == value)
        #expect(number(text) == nil)
    }

    @Test(
        "numbers rejected",
        arguments: [
            "1.234,56", "1,234.56", "1e5", "1E5", "inf", "nan", "-", "+", ".", "1.", "12 34", "1 2345",
            "1234 567", "1  234", "1 234.5 6", "$5", "5%", "1..2", "--1", "1-", " ", "0x10", "1_000",
        ])
    func rejected(text: String) {
        #expect(number(text) == nil)
        #expect(number(text, semicolon: true) == nil)
    }

    @Test(
        "dates accepted",
        arguments: [
            ("2025-03-01", "2025-03-01"), ("01.03.2025", "2025-03-01"), ("2024-02-29", "2024-02-29"),
            ("29.02.2024", "2024-02-29"), ("2025-03-01T10:00:00Z", "2025-03-01"),
            ("2025-03-01 23:59", "2025-03-01"), ("31.12.2025 08:00:00", "2025-12-31"), ("2025-03-01T", "2025-03-01"),
        ])
    func dates(text: String, iso: String) {
        #expect(date(text)?.description == iso)
    }

    @Test(
        "dates rejected",
        arguments: [
            "31.02.2025", "1.2.2025", "01.2.2025", "2025-13-01", "2025-00-10", "2025-02-29", "2025-1-01",
            "2025/03/01", "03/01/2025", "2025-03-01X", "2025-03-0", "20250301", "01-03-2025", "2025-03-01_10:00",
        ])
    func rejectedDates(text: String) {
        #expect(date(text) == nil)
    }

    @Test("every day of 1899–2201 parses to the calendar's ordinal, inside the month table and outside it")
    func everyDay() {
        var checked = 0
        for year in 1899...2201 {
            for month in 1...12 {
                for day in 1...31 {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    let expected =
                        day <= Day.daysIn(month: month, year: year)
                        ? Int32(Day.daysFromCivil(year: year, month: month, day: day)) : nil
                    #expect(date(text)?.ordinal == expected, "\(text)")
                    checked += 1
                }
            }
        }
        #expect(checked == 303 * 12 * 31)
    }

    /// `CellParser.groupedNumber` of `text` (no bytes readable beyond it).
    func grouped(_ text: String, semicolon: Bool = false) -> Double? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            CellParser.groupedNumber(b.baseAddress!, b.count, decimalComma: semicolon)
        }
    }

    @Test(
        "grouped numbers read in one pass",
        arguments: [
            ("26 695,94", true, 26695.94), ("69\u{00A0}303,27", true, 69303.27), ("999,99", true, 999.99),
            ("1 234 567.25", false, 1_234_567.25), ("-1 000", false, -1000), ("12\u{202F}345.5", false, 12345.5),
            ("+999 999 999 999,999", true, 999_999_999_999.999), ("0 001,5", true, 1.5), ("7", false, 7),
        ])
    func groupedAccepted(text: String, semicolon: Bool, value: Double) {
        #expect(grouped(text, semicolon: semicolon) == value)
        #expect(number(text, semicolon: semicolon) == value)
    }

    @Test(
        "grouped numbers left to the full parser",
        arguments: [
            "1 2345", "1234 567", "1  234", " 123", "123 ", "1 234.", ".5", "1,234.56", "1 234,5 6", "1e5",
            "1 234 567 890 123 456", "0.1234567890123456", "12 34", "-", "1 234.5x",
        ])
    func groupedDeclined(text: String) {
        #expect(grouped(text) == nil)
        #expect(grouped(text, semicolon: true) == nil)
    }

    @Test("a grouped number read in one pass has the full parser's value, to the bit")
    func groupedAgreesWithNumber() {
        var generator = SystemRandomNumberGenerator()
        let pieces = [
            "0", "1", "5", "9", "12", "345", "678", "999", "000", " ", "\u{00A0}", "\u{202F}", ".", ",", "-", "+",
            "x", "  ",
        ]
        var accepted = 0
        for _ in 0..<200_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...7, using: &generator) { text += pieces.randomElement(using: &generator)! }
            for semicolon in [false, true] {
                guard let fast = grouped(text, semicolon: semicolon) else { continue }
                accepted += 1
                let full = number(text, semicolon: semicolon)
                #expect(full?.bitPattern == fast.bitPattern, "\(text) semicolon: \(semicolon)")
            }
        }
        #expect(accepted > 1000)
    }
}
