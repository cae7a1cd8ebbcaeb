import Foundation

/// UTC timestamps with milliseconds: `2026-11-26T16:22:33.123Z` and the compact `20261126T162233.123Z`.
public enum RFC3339 {
    /// RFC 3339 in UTC, milliseconds truncated (the state database keeps milliseconds).
    public static func format(_ date: Date) -> String {
        text(date, separators: true)
    }

    /// The same instant for a file name: no `-` or `:`.
    public static func compact(_ date: Date) -> String {
        text(date, separators: false)
    }

    /// The digits written straight into the string: every transition's journal entry and
    /// outbox file carries one, tens of thousands at a first start.
    private static func text(_ date: Date, separators: Bool) -> String {
        let p = parts(date)
        // Years of other widths (or before year 0) keep `Day.description`'s padding.
        guard (0...9999).contains(p.year) else { return paddedText(p, separators: separators) }
        return String(unsafeUninitializedCapacity: 24) { out in
            var n = 0
            func put(_ value: Int, _ width: Int, then c: UInt8?) {
                var v = value
                for k in stride(from: width - 1, through: 0, by: -1) {
                    out[n + k] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
                n += width
                if let c {
                    out[n] = c
                    n += 1
                }
            }
            let dash: UInt8? = separators ? UInt8(ascii: "-") : nil
            let colon: UInt8? = separators ? UInt8(ascii: ":") : nil
            put(p.year, 4, then: dash)
            put(p.month, 2, then: dash)
            put(p.day, 2, then: UInt8(ascii: "T"))
            put(p.secondOfDay / 3600, 2, then: colon)
            put(p.secondOfDay / 60 % 60, 2, then: colon)
            put(p.secondOfDay % 60, 2, then: UInt8(ascii: "."))
            put(p.ms, 3, then: UInt8(ascii: "Z"))
            return n
        }
    }

    private static func paddedText(
        _ p: (year: Int, month: Int, day: Int, secondOfDay: Int, ms: Int), separators: Bool
    ) -> String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let day = "\(pad(p.year, 4))-\(pad(p.month, 2))-\(pad(p.day, 2))"
        let (hh, mm, ss) = (pad(p.secondOfDay / 3600, 2), pad(p.secondOfDay / 60 % 60, 2), pad(p.secondOfDay % 60, 2))
        if separators { return "\(day)T\(hh):\(mm):\(ss).\(pad(p.ms, 3))Z" }
        return day.replacingOccurrences(of: "-", with: "") + "T\(hh)\(mm)\(ss).\(pad(p.ms, 3))Z"
    }

    private static func parts(_ date: Date) -> (year: Int, month: Int, day: Int, secondOfDay: Int, ms: Int) {
        let totalMS = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = totalMS >= 0 ? totalMS / 1000 : (totalMS - 999) / 1000
        let ms = Int(totalMS - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        let (y, m, d) = Day(ordinal: Int32(days)).civil
        return (y, m, d, secondOfDay, ms)
    }
}
