import KamwatchDaemon
import KamwatchData
import KamwatchVocabulary
import Synchronization
import Testing

@Suite("Quiet period")
struct QuietPeriodTests {
    @Test("a burst of writes is delivered once, after the directory has been quiet")
    func burstDeliveredOnce() async throws {
        let clock = ManualClock()
        let quiet = QuietPeriod(quiet: .seconds(2), clock: clock)
        let delivered = Mutex<[DataChange]>([])
        let task = Task { await quiet.run { change in delivered.withLock { $0.append(change) } } }
        defer { task.cancel() }

        quiet.note(DataChange(tables: [.orders]))
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(1))
        quiet.note(DataChange(tables: [.contacts]))
        clock.advance(by: .milliseconds(1500))  // 2.5 s after the first write, 1.5 s after the last
        #expect(clock.wakeUps == 1, "woken at the first write's deadline")
        #expect(await eventually { clock.sleeperCount == 1 }, "asleep again, until the last write's deadline")
        #expect(delivered.withLock { $0 }.isEmpty)

        clock.advance(by: .milliseconds(499))  // 1 ms before the directory has been quiet for 2 s
        #expect(clock.wakeUps == 1, "not delivered early: still asleep")
        #expect(delivered.withLock { $0 }.isEmpty)
        clock.advance(by: .milliseconds(1))
        #expect(clock.wakeUps == 2)
        #expect(await eventually { delivered.withLock { $0.count } == 1 })
        #expect(delivered.withLock { $0 } == [DataChange(tables: [.orders, .contacts])])
    }

    @Test("writes that never stop are still delivered after the longest wait")
    func maxWait() async throws {
        let clock = ManualClock()
        let quiet = QuietPeriod(quiet: .seconds(1), maxWait: .seconds(5), clock: clock)
        let delivered = Mutex<[DataChange]>([])
        let task = Task { await quiet.run { change in delivered.withLock { $0.append(change) } } }
        defer { task.cancel() }

        for _ in 0..<6 {  // a write every 0.9 s, at 0 s … 4.5 s
            quiet.note(DataChange(tables: [.orders]))
            #expect(await eventually { clock.sleeperCount == 1 })
            #expect(delivered.withLock { $0 }.isEmpty, "not before 5 s")
            clock.advance(by: .milliseconds(900))
        }
        #expect(await eventually { delivered.withLock { $0.count } == 1 })
    }

    @Test("an overflow asks for every table")
    func rescan() {
        var change = DataChange(tables: [.orders])
        change.formUnion(.everything)
        #expect(change.affectedTables == Set(TableName.allCases))
    }
}
