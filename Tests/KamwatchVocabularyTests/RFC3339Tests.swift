import Foundation
import KamwatchVocabulary
import Testing

struct RFC3339Tests {
    /// The texts as written through padded `String`s, for comparison.
    static func reference(_ date: Date) -> (full: String, compact: String) {
        let totalMS = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = totalMS >= 0 ? totalMS / 1000 : (totalMS - 999) / 1000
        let ms = Int(totalMS - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let day = Day(ordinal: Int32(days)).description
        let (hh, mm, ss) = (pad(secondOfDay / 3600, 2), pad(secondOfDay / 60 % 60, 2), pad(secondOfDay % 60, 2))
        return (
            "\(day)T\(hh):\(mm):\(ss).\(pad(ms, 3))Z",
            day.replacingOccurrences(of: "-", with: "") + "T\(hh)\(mm)\(ss).\(pad(ms, 3))Z"
        )
    }

    @Test func knownInstants() {
        let t = Date(timeIntervalSince1970: 1_795_710_153.123_9)
        #expect(RFC3339.format(t) == "2026-11-26T16:22:33.123Z")
        #expect(RFC3339.compact(t) == "20261126T162233.123Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
    }

    @Test(
        arguments: [
            0, -0.001, -1, 0.999, 86_399.999, 86_400, 951_782_400, 1_795_710_153.123, 1_800_000_000.5,
            253_402_300_799.999, 253_402_300_800, -62_135_596_800, -62_167_219_200, -62_167_219_200.001,
            -70_000_000_000, 400_000_000_000,
        ])
    func sameAsPaddedText(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let expected = Self.reference(date)
        #expect(RFC3339.format(date) == expected.full)
        #expect(RFC3339.compact(date) == expected.compact)
    }

    @Test func sameAsPaddedTextOverYears() {
        var seconds = -62_167_219_200.0 - 86_400 * 30
        var differing: [Date] = []
        while seconds < 253_402_300_800 + 86_400 * 30 {
            let date = Date(timeIntervalSince1970: seconds)
            let expected = Self.reference(date)
            if RFC3339.format(date) != expected.full || RFC3339.compact(date) != expected.compact {
                differing.append(date)
            }
            seconds += 86_400 * 17.37 + 3_723.417
        }
        #expect(differing.isEmpty)
    }
}
