import Foundation
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchTestSupport
import KamwatchVocabulary
import Logging
import Synchronization
import Testing

@testable import KamwatchDaemon

/// The services around the evaluator, driven by hand: no sleeping, no signals.
@Suite("Services")
struct ServicesTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// 2026-11-20 23:59:30 UTC.
    let lateEvening = Date(timeIntervalSince1970: 1_795_219_170)

    func evaluator(_ f: EvaluatorTests.Fixture, now clock: MovableNow) throws -> Evaluator {
        let emitter = try Emitter(
            store: f.store, journal: f.journal, lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: f.dir.path + "/outbox"), locale: .en, logger: logger)
        return try Evaluator(
            rules: f.rules, locale: .en, timeZone: TimeZone(identifier: "UTC")!, dataDir: f.dir.path + "/data",
            store: f.store, emitter: emitter, now: { clock.value }, logger: logger)
    }

    @Test("the date rolling over in the zone wakes the work loop")
    func midnight() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let now = MovableNow(lateEvening)
        let e = try evaluator(f, now: now)
        try await e.dataChanged(.everything)
        let clock = ManualClock()
        let events = DaemonEvents()
        var timer = TimerService(clock: clock, evaluator: e, watchdogInterval: nil, events: events)
        timer.silenceCheck = .seconds(3600)
        let task = Task { [timer] in try await timer.run() }
        defer { task.cancel() }

        let received = Mutex<[DaemonEvent]>([])
        let reader = Task { for await event in events.stream { received.withLock { $0.append(event) } } }
        defer { reader.cancel() }

        #expect(await eventually { clock.sleeperCount == 2 })  // the day, and the silences (hourly here)
        clock.advance(by: .seconds(30))  // 30 s to midnight, and the timer wakes 1 ms after it
        #expect(clock.wakeUps == 0, "still asleep 1 ms before its deadline")
        #expect(clock.sleeperCount == 2)
        now.advance(by: 60)  // 00:00:30 the next day
        clock.advance(by: .milliseconds(1))
        #expect(clock.wakeUps == 1)
        #expect(await eventually { received.withLock { $0 } == [.dayMaybeChanged] })
        #expect(await e.dayChanged())
        try await e.reevaluate()
        #expect(!(await e.dayChanged()))
    }

    @Test("the work loop: READY at start, a ping per tick, RELOADING then READY, STOPPING at the end")
    func workLoop() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f, now: MovableNow(lateEvening))
        try await e.dataChanged(.everything)
        let notifier = RecordingNotifier()
        let events = DaemonEvents()
        let rulesDir = f.dir.path + "/no-rules"
        try FileManager.default.createDirectory(atPath: rulesDir, withIntermediateDirectories: true)
        var config = DaemonConfig()
        config.rulesDir = rulesDir  // empty: the reload is refused
        let loop = EvaluatorService(
            evaluator: e, events: events, notifier: notifier,
            reloader: Reloader(loadConfig: { [config] in config }, running: config, logger: logger), logger: logger,
            started: "test")
        events.send(.watchdogTick)
        events.send(.reload)
        events.finish()
        try await loop.run()
        let kinds = notifier.messages.map { message -> String in
            switch message {
            case .ready(let status): status.contains("reload refused") ? "ready(refused)" : "ready"
            case .reloading: "reloading"
            case .stopping: "stopping"
            case .status: "status"
            case .watchdog: "watchdog"
            }
        }
        #expect(kinds == ["ready", "watchdog", "reloading", "ready(refused)", "stopping"])
        #expect(notifier.messages.first.map { "\($0)" }?.contains("watching 3 accounts") == true)
    }
}

/// A wall clock that the test moves.
final class MovableNow: Sendable {
    private let date: Mutex<Date>
    init(_ start: Date) { date = Mutex(start) }
    var value: Date { date.withLock { $0 } }
    func advance(by seconds: TimeInterval) { date.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
