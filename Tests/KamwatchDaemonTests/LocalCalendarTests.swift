import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchVocabulary
import Testing

@Suite("Local calendar")
struct LocalCalendarTests {
    let moscow = LocalCalendar(zone: TimeZone(identifier: "Europe/Moscow")!)

    @Test("today is the day in the configured zone")
    func today() {
        // 2026-11-26 21:30 UTC is already 2026-11-27 00:30 in Moscow (UTC+3).
        let date = Date(timeIntervalSince1970: 1_795_728_600)
        #expect(moscow.day(at: date) == Day(iso: "2026-11-27"))
        #expect(LocalCalendar(zone: TimeZone(identifier: "UTC")!).day(at: date) == Day(iso: "2026-11-26"))
    }

    @Test("the next midnight is the start of the next day in the zone")
    func nextMidnight() {
        let date = Date(timeIntervalSince1970: 1_795_728_600)  // 2026-11-27 00:30 Moscow
        let next = moscow.nextMidnight(after: date)
        #expect(next == Date(timeIntervalSince1970: 1_795_813_200))  // 2026-11-27 21:00 UTC
        #expect(moscow.day(at: next) == Day(iso: "2026-11-28"))
        #expect(moscow.day(at: next.addingTimeInterval(-0.001)) == Day(iso: "2026-11-27"))
    }
}
