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

/// Blocking work runs on the evaluator's own thread, never on the cooperative pool, and the
/// thread ends with the evaluator.
@Suite("Evaluator thread")
struct ThreadExecutorTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    /// 2026-11-20 12:00 UTC.
    let noon = Date(timeIntervalSince1970: 1_795_176_000)

    func evaluator(_ f: EvaluatorTests.Fixture, journal: any JournalSink) throws -> Evaluator {
        let emitter = try Emitter(
            store: f.store, journal: journal, lookup: FixedLookup(seqs: []),
            outbox: try OutboxWriter(outboxDir: f.dir.path + "/outbox"), locale: .en, logger: logger)
        let now = noon
        return try Evaluator(
            rules: f.rules, locale: .en, timeZone: TimeZone(identifier: "UTC")!, dataDir: f.dir.path + "/data",
            store: f.store, emitter: emitter, now: { now }, logger: logger)
    }

    @Test("an evaluation, its SQLite writes and its emission run on the evaluator's thread")
    func evaluationOnOwnThread() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let journal = ThreadNotingJournal()
        let e = try evaluator(f, journal: journal)
        try await e.dataChanged(.everything)
        #expect(!journal.threads.isEmpty)
        #expect(journal.threads.allSatisfy { $0.name == "kamwatch-eval" }, "\(journal.threads)")
        #expect(KernelThread.current.name != "kamwatch-eval")
        #expect(await e.onOwnThread())
        #expect(!e.executor.isCurrent)
    }

    @Test("the thread ends when its evaluator is released", arguments: [1, 20])
    func threadEnds(evaluators: Int) async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        var threads: [KernelThread] = []
        for _ in 0..<evaluators {
            let e = try evaluator(f, journal: RecordingJournal())
            try await e.dataChanged(.everything)
            threads.append(await e.currentThread())
        }
        #expect(Set(threads.map(\.id)).count == evaluators)
        #expect(await within { threads.allSatisfy { !$0.isRunning } })
    }

    @Test("a reload reads config and rules on the evaluator's thread")
    func reloadOnOwnThread() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let e = try evaluator(f, journal: RecordingJournal())
        var config = DaemonConfig()
        config.rulesDir = RulesDirectory.sourceTreeRules
        config.timezone = "UTC"
        let onThread = Mutex<[Bool]>([])
        let reloader = Reloader(
            loadConfig: { [config, executor = e.executor] in
                onThread.withLock { $0.append(executor.isCurrent) }
                return config
            }, running: config, logger: logger)
        #expect(await reloader.reload(evaluator: e) == nil)
        #expect(onThread.withLock { $0 } == [true])
    }

    /// A daemon on the fixture's data, with two transitions recorded but not emitted (as after a crash).
    func daemon(_ f: EvaluatorTests.Fixture, journal: any JournalSink, notifier: any Notifier) throws -> Daemon {
        _ = try Records.record(2, in: f.store)
        var config = DaemonConfig()
        config.dataDir = f.dir.path + "/data"
        config.rulesDir = RulesDirectory.sourceTreeRules
        config.stateDir = f.dir.path + "/state-db"
        config.outboxDir = f.dir.path + "/outbox"
        config.timezone = "UTC"
        config.locale = .en
        return Daemon(
            config: config, loadConfig: { [config] in config }, journal: journal, lookup: FixedLookup(seqs: []),
            notifier: notifier, logger: logger)
    }

    @Test("start-up, recovery and the first evaluation run on the evaluator's thread; cancelling stops the daemon")
    func daemonStartsOnOwnThreadAndStops() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let journal = ThreadNotingJournal()
        let notifier = RecordingNotifier()
        let d = try daemon(f, journal: journal, notifier: notifier)
        let finished = Mutex(false)
        let task = Task {
            defer { finished.withLock { $0 = true } }
            try await d.run()
        }
        #expect(await within { notifier.messages.contains { if case .ready = $0 { true } else { false } } })
        // The two recovered transitions, then the first evaluation's.
        #expect(journal.threads.count > 2)
        #expect(journal.threads.allSatisfy { $0.name == "kamwatch-eval" })

        task.cancel()
        #expect(await within { finished.withLock { $0 } })
        #expect(notifier.messages.last == .stopping)
        #expect(await within { journal.threads.allSatisfy { !$0.isRunning } })
    }

    @Test("a cancellation that arrives during start-up still stops the daemon's services")
    func pendingCancellation() async throws {
        let f = try EvaluatorTests.Fixture()
        defer { f.dir.remove() }
        let journal = ThreadNotingJournal()
        let notifier = RecordingNotifier()
        let d = try daemon(f, journal: journal, notifier: notifier)
        let finished = Mutex(false)
        let task = Task {
            defer { finished.withLock { $0 = true } }
            try await d.run()
        }
        task.cancel()
        #expect(await within { finished.withLock { $0 } })
        #expect(!journal.threads.isEmpty)
        #expect(await within { journal.threads.allSatisfy { !$0.isRunning } })
    }
}

extension Evaluator {
    /// Whether the actor's code runs on its executor's thread.
    func onOwnThread() -> Bool { executor.isCurrent }

    /// The thread the actor's code runs on.
    func currentThread() -> KernelThread { .current }
}

/// A journal that notes the thread of every entry sent.
final class ThreadNotingJournal: JournalSink {
    private let noted = Mutex<[KernelThread]>([])

    func send(_ entry: JournalEntry) {
        let thread = KernelThread.current
        noted.withLock { $0.append(thread) }
    }

    var threads: [KernelThread] { noted.withLock { $0 } }
}

/// A thread as the kernel shows it in `/proc`: its id and its name (what `ps -L` shows).
struct KernelThread: Sendable {
    let id: String
    let name: String

    /// The calling thread.
    static var current: KernelThread {
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return KernelThread(
            id: String(link.split(separator: "/").last ?? ""), name: name.trimmingCharacters(in: .newlines))
    }

    /// Whether the thread still runs.
    var isRunning: Bool { FileManager.default.fileExists(atPath: "/proc/self/task/\(id)") }
}
