import Foundation

/// UTC timestamps with milliseconds: `2026-11-26T16:22:33.123Z` and the compact `20261126T162233.123Z`.
public enum RFC3339 {
    /// RFC 3339 in UTC, milliseconds truncated (the state database keeps milliseconds).
    public static func format(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.day)T\(p.hh):\(p.mm):\(p.ss).\(p.ms)Z"
    }

    /// The same instant for a file name: no `-` or `:`.
    public static func compact(_ date: Date) -> String {
        let p = parts(date)
        return p.day.replacingOccurrences(of: "-", with: "") + "T\(p.hh)\(p.mm)\(p.ss).\(p.ms)Z"
    }

    private static func parts(_ date: Date) -> (day: String, hh: String, mm: String, ss: String, ms: String) {
        let totalMS = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = totalMS >= 0 ? totalMS / 1000 : (totalMS - 999) / 1000
        let ms = Int(totalMS - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return (
            Day(ordinal: Int32(days)).description, pad(secondOfDay / 3600, 2), pad(secondOfDay / 60 % 60, 2),
            pad(secondOfDay % 60, 2), pad(ms, 3)
        )
    }
}
