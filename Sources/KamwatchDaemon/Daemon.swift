import Foundation
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
    /// Throws `DaemonStartError` when it cannot start.
    public func run() async throws {
        // Trapped first, so that a SIGHUP during start-up is a reload afterwards, not death.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        // Start-up reads files, opens the database and fsyncs: on the evaluator's thread, off the pool.
        let executor = ThreadExecutor(name: "kamwatch-eval")
        let (lock, rules, watcher, evaluator) = try await withTaskExecutorPreference(executor) {
            try start(on: executor)
        }
        defer { withExtendedLifetime(lock) {} }
        try await Self.step("first evaluation") { try await evaluator.dataChanged(.everything) }

        let events = DaemonEvents()
        let clock = ContinuousClock()
        let services: [any Service] = [
            EvaluatorService(
                evaluator: evaluator, events: events, notifier: notifier,
                reloader: Reloader(loadConfig: loadConfig, running: config, logger: logger), logger: logger,
                started: "rules: \(rules.rules.count), data_dir: \(config.dataDir)"),
            WatcherService(
                watcher: watcher, quiet: QuietPeriod(quiet: config.quietPeriod, clock: clock), events: events,
                logger: logger),
            TimerService(
                clock: clock, evaluator: evaluator, watchdogInterval: notifier.watchdogInterval, events: events),
            ReloadSignalService(signals: hangups, events: events),
        ]
        // READY=1 comes from the work loop: by then the group has trapped SIGTERM and SIGINT.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Loads the rules, locks and opens the state, finishes emissions left by a crash, starts
    /// watching and makes the evaluator. Blocks: call it on `executor`.
    private func start(
        on executor: ThreadExecutor
    ) throws -> (StateDirectoryLock, RuleSet, InotifyWatcher, Evaluator) {
        let rules = try Self.step("rules") {
            let directory = try RulesDirectory.find(config.rulesDir)
            let rules = try RuleSet.load(directory: directory)
            guard !rules.rules.isEmpty else { throw ReloadError(reason: "\(directory): no rule files") }
            return rules
        }
        let sources = try Self.step("sources") { try config.sources.map { try SourcesFile.load(path: $0) } }
        let (lock, store) = try Self.step("state") {
            try FileManager.default.createDirectory(atPath: config.stateDir, withIntermediateDirectories: true)
            let lock = try StateDirectoryLock(stateDir: config.stateDir)
            return (lock, try StateStore(directory: config.stateDir))
        }
        let emitter = try Self.step("outbox") {
            let outbox = try OutboxWriter(outboxDir: config.outboxDir)
            return try Emitter(
                store: store, journal: journal, lookup: lookup, outbox: outbox, locale: config.locale, logger: logger)
        }
        _ = try Self.step("recovery") { try emitter.recover() }
        // Watch before the first read, so that nothing written meanwhile is missed.
        let watcher = try Self.step("data directory") {
            try InotifyWatcher(directory: config.dataDir, anyFile: config.sources != nil)
        }
        let evaluator = try Self.step("state") {
            try Evaluator(
                rules: rules, locale: config.locale, timeZone: config.timeZone, dataDir: config.dataDir,
                sources: sources, store: store, emitter: emitter, health: config.health,
                metricsFile: config.metricsFile, executor: executor, logger: logger)
        }
        return (lock, rules, watcher, evaluator)
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
