import Foundation

extension Day {
    /// The calendar day `date` falls on in `zone`.
    public init(_ date: Date, in zone: TimeZone) {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        self.init(ordinal: Int32((local / 86_400).rounded(.down)))
    }

    /// The instant this day starts (local midnight) in `zone`.
    public func start(in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let (y, m, d) = civil
        let components = DateComponents(year: y, month: m, day: d)
        // A zone whose midnight is skipped (DST at 00:00) starts the day at the first valid instant.
        return calendar.date(from: components)
            ?? Date(timeIntervalSince1970: Double(ordinal) * 86_400 - Double(zone.secondsFromGMT()))
    }

    /// `DD.MM.YYYY`, as Russian readers write dates.
    public var dotted: String {
        let (y, m, d) = civil
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(d)).\(two(m)).\(y)"
    }
}
