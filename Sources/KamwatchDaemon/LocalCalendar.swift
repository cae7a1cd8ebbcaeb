import Foundation
import KamwatchData
import KamwatchVocabulary

/// Days in the configured time zone: what "today" is and when it ends.
public struct LocalCalendar: Sendable {
    public let zone: TimeZone
    private let calendar: Calendar

    public init(zone: TimeZone) {
        self.zone = zone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        calendar = c
    }

    /// The day `date` falls on in the zone.
    public func day(at date: Date) -> Day { Day(date, in: zone) }

    /// The first instant of the day after the one `date` falls on (where a clock change skips
    /// midnight, the first instant that exists).
    public func nextMidnight(after date: Date) -> Date {
        calendar.nextDate(
            after: date, matching: DateComponents(hour: 0, minute: 0, second: 0), matchingPolicy: .nextTime)
            ?? calendar.startOfDay(for: date).addingTimeInterval(86400)
    }
}
