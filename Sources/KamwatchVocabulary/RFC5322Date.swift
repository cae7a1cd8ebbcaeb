import Foundation

/// Dates as RFC 5322 §3.3 writes them: `Fri, 20 Nov 2026 07:00:00 +0300`.
public enum RFC5322Date {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `date` in `zone`, English names regardless of the host locale.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let offset = zone.secondsFromGMT(for: date) / 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let sign = offset < 0 ? "-" : "+"
        let zoneText = sign + two(abs(offset) / 60) + two(abs(offset) % 60)
        return "\(weekdays[(c.weekday ?? 1) - 1]), \(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) "
            + "\(two(c.hour ?? 0)):\(two(c.minute ?? 0)):\(two(c.second ?? 0)) \(zoneText)"
    }
}
