import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchVocabulary
import Logging
import ServiceLifecycle
import UnixSignals

/// `kamwatch run`: start-up, then a `ServiceGroup` of the watcher, the timers, the reload
/// signal and the evaluator loop, until `SIGTERM` or `SIGINT`.
public struct Daemon: Sendable {
    public var config: DaemonConfig
    /// Reads the config again on `SIGHUP` (the same file and command-line overrides).
    public var loadConfig: @Sendable () throws -> DaemonConfig
    public var journal: any JournalSink
    public var lookup: any JournalLookup
    public var notifier: any Notifier
    public var logger: Logger

    public init(
        config: DaemonConfig, loadConfig: @escaping @Sendable () throws -> DaemonConfig, journal: any JournalSink,
        lookup: any JournalLookup = JournalctlLookup(), notifier: any Notifier, logger: Logger
    ) {
        self.config = config
        self.loadConfig = loadConfig
        self.journal = journal
        self.lookup = lookup
        self.notifier = notifier
        self.logger = logger
    }

    /// Starts (rules, state, first evaluation, `READY=1`) and runs until asked to stop.
    /// Throws `DaemonStartError` when it cannot start. `SIGTERM` or `SIGINT` during start-up
    /// cancels it (between steps, and in the first evaluation's reading) and stops cleanly.
    public func run() async throws {
        // Trapped first, so that a SIGHUP during start-up is a reload afterwards, not death,
        // and a SIGTERM during start-up is a clean stop.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let stops = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let stop = StopRequest()
        let signals = Task {
            for await signal in stops {
                logger.notice("\(signal) received; stopping")
                stop.request()
            }
        }
        defer { signals.cancel() }

        // Start-up reads files, opens the database and fsyncs: on the evaluator's thread, off the pool.
        let executor = ThreadExecutor(name: "kamwatch-eval")
        // The data is read on a thread of its own while the state opens (see `FirstRead`).
        let reading = FirstReadSlot()
        let startUp = Task {
            let started = try await withTaskExecutorPreference(executor) { try start(on: executor, reading: reading) }
            try await Self.step("first evaluation") {
                try await started.evaluator.firstEvaluation(reading: started.read)
            }
            return started
        }
        stop.onRequest {
            startUp.cancel()
            reading.cancel()
        }
        let started: Started
        do {
            started = try await startUp.value
        } catch  where stop.isRequested {
            notifier.stopping()
            logger.notice("stopped during start-up")
            return
        }
        let (lock, rules, watcher, evaluator) = (started.lock, started.rules, started.watcher, started.evaluator)
        defer { withExtendedLifetime(lock) {} }

        let events = DaemonEvents()
        let failures = DaemonEvents()
        let clock = ContinuousClock()
        let services: [any Service] = [
            EvaluatorService(
                evaluator: evaluator, events: events, notifier: notifier,
                reloader: Reloader(loadConfig: loadConfig, running: config, logger: logger), logger: logger,
                started: "rules: \(rules.rules.count), data_dir: \(config.dataDir)", failures: failures),
            WatcherService(
                watcher: watcher, quiet: QuietPeriod(quiet: config.quietPeriod, clock: clock), events: events,
                logger: logger),
            TimerService(
                clock: clock, evaluator: evaluator, watchdogInterval: notifier.watchdogInterval, events: events,
                failures: failures),
            ReloadSignalService(signals: hangups, events: events),
        ]
        // SIGTERM and SIGINT stay with `stop`, trapped since the start: a stop asked for before
        // the group runs is remembered by it. READY=1 comes from the work loop.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [], logger: logger))
        stop.onRequest { Task { await group.triggerGracefulShutdown() } }
        try await group.run()
    }

    /// What start-up hands to the running daemon.
    private struct Started: Sendable {
        var lock: StateDirectoryLock
        var rules: RuleSet
        var watcher: InotifyWatcher
        var evaluator: Evaluator
        var read: FirstRead
    }

    /// Loads the rules, starts watching and reading the data (on another thread, into
    /// `reading`), locks and opens the state, finishes emissions left by a crash and makes the
    /// evaluator. Blocks: call it on `executor`.
    private func start(on executor: ThreadExecutor, reading: FirstReadSlot) throws -> Started {
        var lap = Lap()
        let sources = try Self.step("sources") { try config.sources.map { try SourcesFile.load(path: $0) } }
        let rules = try Self.step("rules") {
            let directory = try RulesDirectory.find(config.rulesDir)
            let rules = try RuleSet.load(directory: directory, schema: sources?.schema ?? .standard)
            guard !rules.rules.isEmpty else { throw ReloadError(reason: "\(directory): no rule files") }
            return rules
        }
        try Task.checkCancellation()
        // Watch before the first read, so that nothing written meanwhile is missed.
        let watcher = try Self.step("data directory") {
            try InotifyWatcher(directory: config.dataDir, anyFile: config.sources != nil)
        }
        let rulesTime = lap.next()
        let read = FirstRead(
            Evaluator.emptyCache(rules: rules, dataDir: config.dataDir, sources: sources), logger: logger)
        reading.hold(read)
        if Task.isCancelled { read.cancel() }
        do {
            return try startState(
                on: executor, rules: rules, sources: sources, watcher: watcher, read: read, lap: lap,
                rulesTime: rulesTime)
        } catch {
            read.cancel()
            throw error
        }
    }

    /// `start`'s steps of the state, while the data is read.
    private func startState(
        on executor: ThreadExecutor, rules: RuleSet, sources: SourcePlan?, watcher: InotifyWatcher, read: FirstRead,
        lap: Lap, rulesTime: Duration
    ) throws -> Started {
        var lap = lap
        try Task.checkCancellation()
        let (lock, store) = try Self.step("state") {
            try FileManager.default.createDirectory(atPath: config.stateDir, withIntermediateDirectories: true)
            let lock = try StateDirectoryLock(stateDir: config.stateDir)
            // Most of a large state is its history: checked whole before the history is read
            // or anything is written, and at the latest right after READY=1 (see `finishStartUp`).
            let store = try StateStore(directory: config.stateDir, check: .deferringHistory)
            // Start-up's commits only append to the write-ahead log; copied after READY=1.
            try store.holdCheckpoints()
            // A day before today recorded: the first evaluation reads the history, so the
            // whole check runs now, while the data is read.
            let today = LocalCalendar(zone: config.timeZone).day(at: Date())
            if try !store.historyMark().holdsNoDay(before: today.description) { try store.checkWhole() }
            return (lock, store)
        }
        try Task.checkCancellation()
        let emitter = try Self.step("outbox") {
            let outbox = try OutboxWriter(outboxDir: config.outboxDir)
            return try Emitter(
                store: store, journal: journal, lookup: lookup, outbox: outbox, locale: config.locale, logger: logger)
        }
        let stateTime = lap.next()
        try Task.checkCancellation()
        _ = try Self.step("recovery") { try emitter.recover() }
        let recoveryTime = lap.next()
        try Task.checkCancellation()
        let evaluator = try Self.step("state") {
            try Evaluator(
                rules: rules, locale: config.locale, timeZone: config.timeZone, dataDir: config.dataDir,
                sources: sources, store: store, emitter: emitter, health: config.health,
                metricsFile: config.metricsFile, executor: executor, logger: logger)
        }
        logger.info(
            "started the state while reading the data",
            metadata: [
                "rules_ms": "\(Lap.ms(rulesTime))", "state_ms": "\(Lap.ms(stateTime))",
                "recovery_ms": "\(Lap.ms(recoveryTime))", "open_alerts_ms": "\(Lap.ms(lap.next()))",
            ])
        return Started(lock: lock, rules: rules, watcher: watcher, evaluator: evaluator, read: read)
    }

    private static func step<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw DaemonStartError(step: what, reason: "\(error)")
        }
    }

    private static func step<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw DaemonStartError(step: what, reason: "\(error)")
        }
    }
}

/// The daemon could not start; `reason` says where and why.
public struct DaemonStartError: Error, Sendable, CustomStringConvertible {
    public var step: String
    public var reason: String
    public var description: String { "cannot start (\(step)): \(reason)" }
}
