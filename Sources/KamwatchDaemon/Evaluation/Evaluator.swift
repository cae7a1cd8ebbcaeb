import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchVocabulary
import Logging

/// The daemon's pipeline: data → book → alerts (as of today in the zone) → transitions →
/// state → journal and outbox. One evaluation at a time, on the evaluator's own thread.
public actor Evaluator {
    /// Where the evaluator runs: its work blocks (file reads, SQLite, fsync), so not on the cooperative pool.
    public nonisolated let executor: ThreadExecutor
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var rules: RuleSet
    private var locale: Language
    private var calendar: LocalCalendar
    private var cache: DataCache
    private var open: [AlertKey: OpenAlert]
    private let store: StateStore
    private var emitter: Emitter
    private let now: @Sendable () -> Date
    private let logger: Logger
    /// An emission failed (disk full, outbox gone): finish it before anything new is emitted.
    private var emissionFailed = false
    /// Limits of the input health checks.
    private var health: HealthSettings
    /// Where the Prometheus text file goes after each evaluation.
    private var metricsFile: String?
    /// Transitions in the log by state, for the metrics (counted once at start, then kept up).
    private var transitionCounts: [String: Int]
    /// The last evaluation failed after reading (the state or the outbox could not be written,
    /// journald did not take an entry): it is to be tried again even if nothing changes.
    public private(set) var needsRetry = false
    /// The leads last recorded in the state (written again only when they change).
    private var recordedLeads: Set<String>?
    /// The recorded history, read once and kept in step with what is recorded.
    private var history = HistoryMemory()
    /// The snapshot of the current accounts and contacts (`nil`: one of them was read again).
    private var snapshot: HistorySnapshot?
    /// The last snapshot's parents, while the accounts were not read again since.
    private var parentsSnapshot: HistorySnapshot?
    /// The leads of the current accounts (`nil`: they were read again).
    private var leads: Set<String>?
    /// The first evaluation left today's snapshot for `recordDeferredHistory()`: the history
    /// held no day before today, so it changed no alert, and recording it can wait for READY=1.
    private var historyDeferred = false

    /// What the status line shows.
    public struct Status: Sendable, Equatable {
        public var accounts = 0
        public var openAlerts = 0
        public var lastEvaluation: Date?
        public var day: Day?
        public var lastError: String?
    }

    public private(set) var status = Status()

    public init(
        rules: RuleSet, locale: Language, timeZone: TimeZone, dataDir: String, sources: SourcePlan? = nil,
        store: StateStore, emitter: Emitter, health: HealthSettings = HealthSettings(), metricsFile: String? = nil,
        now: @escaping @Sendable () -> Date = Date.init,
        executor: ThreadExecutor = ThreadExecutor(name: "kamwatch-eval"), logger: Logger
    ) throws {
        self.health = health
        self.metricsFile = metricsFile
        self.transitionCounts = try store.transitionCounts()
        self.executor = executor
        self.rules = rules
        self.locale = locale
        self.calendar = LocalCalendar(zone: timeZone)
        self.cache = Self.emptyCache(rules: rules, dataDir: dataDir, sources: sources)
        self.store = store
        self.emitter = emitter
        self.now = now
        self.logger = logger
        let open = try store.openAlertsByKey()
        self.open = open
        self.status.openAlerts = open.count
        // The leads as last recorded: a restart with the same accounts writes nothing for them.
        self.recordedLeads = Set(try store.knownLeads())
    }

    /// The cache the evaluator starts with, before its first read: only the text columns the
    /// rules read (and the history records) are kept (see `DataCache.keep`).
    static func emptyCache(rules: RuleSet, dataDir: String, sources: SourcePlan?) -> DataCache {
        DataCache(directory: dataDir, keeping: rules.columnsUsed.keepingHistory, sources: sources)
    }

    /// Re-reads the changed tables, then evaluates.
    public func dataChanged(_ change: DataChange) throws {
        let started = ContinuousClock.now
        // Mapped exports have their own file names: the sources file says which tables a file feeds.
        let tables = cache.tables(of: change)
        let problem = cache.reload(tables, logger: logger)
        // A change of the accounts or the events reads every table again (see `DataCache`).
        let renewed = cache.renewed
        if !renewed.isDisjoint(with: [.accounts, .contacts]) { snapshot = nil }
        if renewed.contains(.accounts) {
            leads = nil
            parentsSnapshot = nil
        }
        try evaluate(problem: problem, readTime: ContinuousClock.now - started)
    }

    /// The evaluation of start-up: reads everything. Cancelling the task stops the reading
    /// (throwing `CancellationError`) before anything is recorded.
    public func firstEvaluation() async throws {
        let cancellation = ReadCancellation()
        try await withTaskCancellationHandler {
            let started = ContinuousClock.now
            let problem = cache.reload(Set(TableName.allCases), logger: logger, cancellation: cancellation)
            snapshot = nil
            parentsSnapshot = nil
            leads = nil
            try Task.checkCancellation()
            try evaluate(problem: problem, readTime: ContinuousClock.now - started, deferHistory: true)
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// The evaluation of start-up with the data read beforehand (see `FirstRead`): waits for
    /// the read, then evaluates as `firstEvaluation()` does. Cancelling the task stops the read.
    func firstEvaluation(reading read: FirstRead) async throws {
        try await withTaskCancellationHandler {
            let done = read.wait()
            cache = done.cache
            snapshot = nil
            parentsSnapshot = nil
            leads = nil
            try Task.checkCancellation()
            try evaluate(problem: done.problem, readTime: done.time, deferHistory: true)
        } onCancel: {
            read.cancel()
        }
    }

    /// Replaces the rules (already validated as a whole) and the settings that can change at run time.
    public func replace(
        rules: RuleSet, locale: Language, timeZone: TimeZone, sources: SourcePlan? = nil,
        health: HealthSettings = HealthSettings(), metricsFile: String? = nil
    ) throws {
        self.health = health
        self.metricsFile = metricsFile
        self.rules = rules
        self.locale = locale
        self.emitter.locale = locale
        self.calendar = LocalCalendar(zone: timeZone)
        // New rules may read text columns the cached tables left out: read those tables again.
        var stale = cache.keep(rules.columnsUsed.keepingHistory)
        if sources != nil || cache.sources != nil {
            cache.use(sources)
            stale = Set(TableName.allCases)
        }
        var problem: String?
        if !stale.isEmpty {
            logger.info("the new rules read more columns: reading the data again")
            problem = cache.reload(stale, logger: logger)
            snapshot = nil
            parentsSnapshot = nil
            leads = nil
        }
        try evaluate(problem: problem)
    }

    /// Evaluates again with the same data (the day may have changed).
    public func reevaluate() throws {
        try evaluate(problem: nil)
    }

    /// How long until the current day ends in the configured zone.
    public func untilMidnight() -> Duration {
        let t = now()
        let seconds = max(0, calendar.nextMidnight(after: t).timeIntervalSince(t))
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// The day the last evaluation used, and today.
    public func dayChanged() -> Bool { status.day != calendar.day(at: now()) }

    public func noteError(_ text: String?) { status.lastError = text }

    /// What start-up left for after READY=1, before anything else is recorded: the state's
    /// whole-file check, unless something was written or the history read already (see
    /// `StateStore.Check.deferringHistory`), then one checkpoint of what start-up wrote to the
    /// write-ahead log, and automatic checkpoints again (see `StateStore.holdCheckpoints()`).
    /// Throws the damage found; a failed checkpoint is logged (SQLite tries again at the next
    /// commits).
    public func finishStartUp() throws {
        var lap = Lap()
        let checked = store.wholeCheckPending
        try store.checkWhole()
        let checkTime = lap.next()
        let checkpoint: StateStore.Checkpoint
        do {
            checkpoint = try store.resumeCheckpoints()
        } catch {
            logger.error("cannot checkpoint start-up's writes: \(error)")
            return
        }
        logger.info(
            "checked the state and checkpointed start-up's writes",
            metadata: [
                "check_ms": checked ? "\(Lap.ms(checkTime))" : "done before", "log_frames": "\(checkpoint.logFrames)",
                "checkpointed": "\(checkpoint.checkpointed)", "checkpoint_ms": "\(Lap.ms(lap.next()))",
            ])
    }

    /// Records the snapshot the first evaluation left out (see `historyDeferred`); the
    /// running daemon calls it once, after READY=1. Nothing to do when an evaluation came between.
    public func recordDeferredHistory() throws {
        guard historyDeferred, cache.hasAccounts else { return }
        historyDeferred = false
        var lap = Lap()
        let files = cache.book(logger: logger)
        let time = now()
        let day = calendar.day(at: time)
        let snapshot = self.snapshot ?? HistorySnapshot(book: files)
        self.snapshot = snapshot
        parentsSnapshot = snapshot
        let snapshotTime = lap.next()
        // The day alone: written whole (or left as it is), without reading the history.
        if let mark = try store.recordOnlyDay(snapshot, on: day, at: time) {
            history.holdOnly(snapshot, on: day.description, mark: mark)
        } else {
            // A day before today was recorded meanwhile (`kamwatch history record`).
            let next = try nextHistory(of: files, on: day)
            if let write = next.write {
                history.commit(try store.recordHistory(write, at: time), history: next.history)
            }
        }
        logger.info(
            "recorded today's history snapshot",
            metadata: [
                "day": "\(day)", "contacts": "\(snapshot.contacts.count)", "snapshot_ms": "\(Lap.ms(snapshotTime))",
                "record_ms": "\(Lap.ms(lap.next()))",
            ])
    }

    /// The history with today's snapshot of `files` recorded in memory, and what recording it writes.
    private func nextHistory(of files: Book, on day: Day) throws -> HistoryMemory.Next {
        // The parents change only with the accounts: while they were not read again since the
        // last snapshot given to the history, only the contacts are made again and compared.
        let sameParents = parentsSnapshot != nil
        let snapshot =
            self.snapshot ?? parentsSnapshot.map { HistorySnapshot(book: files, parentsOf: $0) }
            ?? HistorySnapshot(book: files)
        self.snapshot = snapshot
        try history.refresh(from: store)
        let next = history.next(snapshot, on: day.description, sameParents: sameParents)
        parentsSnapshot = snapshot
        return next
    }

    private func evaluate(problem: String?, readTime: Duration = .zero, deferHistory: Bool = false) throws {
        do {
            try evaluateOnce(problem: problem, readTime: readTime, deferHistory: deferHistory)
            needsRetry = false
        } catch {
            needsRetry = true
            throw error
        }
    }

    private func evaluateOnce(problem: String?, readTime: Duration, deferHistory: Bool) throws {
        if let problem { status.lastError = problem }
        // Without an accounts table every alert would resolve; wait for one instead.
        guard cache.hasAccounts else {
            try checkHealth()
            return
        }
        let started = ContinuousClock.now
        var lap = Lap()
        let files = cache.book(logger: logger)
        let time = now()
        let day = calendar.day(at: time)
        // The history as it will be once today's snapshot is recorded, so that evaluating
        // before recording sees what recording first would (SPEC §6 "History"). At start-up,
        // a history without an earlier day changes nothing: the snapshot is recorded after READY=1.
        try Task.checkCancellation()
        let next: HistoryMemory.Next?
        let book: Book
        if deferHistory, try store.historyMark().holdsNoDay(before: day.description) {
            historyDeferred = true
            next = nil
            book = files
        } else {
            historyDeferred = false
            let planned = try nextHistory(of: files, on: day)
            next = planned
            book = files.applying(planned.history)
        }
        // A stop during start-up (SIGTERM) records nothing: each long step ends here if so.
        try Task.checkCancellation()
        let assembleTime = lap.next()
        let alerts = rules.evaluate(book: book, at: day, locale: locale)
        try Task.checkCancellation()
        let current = alerts.map { a in
            var a = a
            a.revenueAtStake = book.netRevenue(ofAccountID: a.accountID, at: day)
            return a
        }
        let evaluateTime = lap.next()
        let plan = TransitionPlanner.plan(
            current: current, open: open, day: day, timings: rules.timings,
            timing: try store.alertTimings(), silences: try store.activeSilences(on: day))
        if emissionFailed {
            // Earlier transitions were recorded but not all emitted: they go first, in seq order.
            try emitter.recover()
            emissionFailed = false
        }
        // One transaction for the transitions, the leads and the history: one commit to wait for.
        let leads = self.leads ?? book.leads
        self.leads = leads
        // A big plan's outbox files are written (as temporaries) while it is recorded.
        let ahead = emitter.writeAhead(plan, at: time, firstSeq: try store.nextSeq())
        let recorded: (records: [TransitionRecord], history: HistoryMemory.Write?, refused: HistoryError?)
        do {
            recorded = try store.record(
                StateStore.Evaluation(
                    plan: plan, leads: leads == recordedLeads ? nil : leads, history: next?.write),
                at: time)
        } catch {
            ahead?.discard()
            throw error
        }
        let records = recorded.records
        remember(plan, at: time)
        for r in records { transitionCounts[r.state.rawValue, default: 0] += 1 }
        recordedLeads = leads
        if let write = recorded.history, let next { history.commit(write, history: next.history) }
        if let refused = next?.refused ?? recorded.refused {
            logger.warning("cannot record today's snapshot in the history: \(refused)", metadata: ["day": "\(day)"])
        }
        let recordTime = lap.next()
        let channels: Emitter.Timings
        do {
            channels = try emitter.emit(records, ahead: ahead)
        } catch {
            emissionFailed = true
            throw error
        }
        let emitTime = lap.next()
        status.accounts = book.accountCount
        status.openAlerts = open.count
        status.lastEvaluation = time
        status.day = day
        if problem == nil { status.lastError = nil }
        try checkHealth()
        writeMetrics(duration: ContinuousClock.now - started + readTime)
        // Start-up's evaluation is logged even without transitions: its stage timings matter.
        if !records.isEmpty || deferHistory {
            logger.info(
                "evaluated: \(records.count) transitions",
                metadata: [
                    "accounts": "\(book.accountCount)", "open": "\(open.count)", "day": "\(day)",
                    "read_ms": "\(Lap.ms(readTime))", "assemble_ms": "\(Lap.ms(assembleTime))",
                    "evaluate_ms": "\(Lap.ms(evaluateTime))", "record_ms": "\(Lap.ms(recordTime))",
                    "emit_ms": "\(Lap.ms(emitTime))", "outbox_ms": "\(Lap.ms(channels.outbox))",
                    "outbox_ahead_ms": "\(Lap.ms(channels.outboxAhead))", "journal_ms": "\(Lap.ms(channels.journal))",
                ])
        }
    }

    /// Raises and resolves input problems (stale tables, lost columns, bad rows) as they start
    /// and end; also called every minute, as a table goes stale without any file changing.
    public func checkHealth() throws {
        let current = InputHealth.problems(cache.facts, now: now(), settings: health)
        let (raised, resolved) = InputHealth.transitions(current: current, stored: try store.healthProblems())
        if raised.isEmpty, resolved.isEmpty { return }
        try store.applyHealth(raised: raised, resolved: resolved)
        try emitter.emitHealth(raised: raised, resolved: resolved)
    }

    /// Writes the metrics file, when configured; a failure is logged, never fatal.
    private func writeMetrics(duration: Duration) {
        guard let metricsFile else { return }
        var s = MetricsSnapshot()
        for rule in rules.rules { s.openAlerts[rule.id] = [:] }
        for o in open.values { s.openAlerts[o.rule, default: [:]][o.severity, default: 0] += 1 }
        s.transitions = transitionCounts
        s.tables = cache.facts
        for p in (try? store.healthProblems()) ?? [] { s.inputProblems[p.check, default: 0] += 1 }
        s.evaluationSeconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        s.lastEvaluation = status.lastEvaluation
        s.now = now()
        do {
            try DurableFile.replace(Array(MetricsText.render(s).utf8), at: metricsFile)
        } catch {
            logger.error("cannot write the metrics file", metadata: ["error": "\(error)"])
        }
    }

    /// Mirrors what `store.apply` did to the open alerts.
    private func remember(_ plan: TransitionPlan, at time: Date) {
        // A first start opens tens of thousands at once: room for them all, not grown step by step.
        open.reserveCapacity(open.count + plan.transitions.count)
        for t in plan.transitions {
            let a = t.alert
            switch t.state {
            case .resolved: open[a.key] = nil
            case .firing: open[a.key] = OpenAlert(a, since: open[a.key]?.since ?? time, silencedBy: t.silenceID)
            }
        }
        for a in plan.refreshed { open[a.key]?.alert = a }
        for (key, silence) in plan.resilenced { open[key]?.silencedBy = silence }
    }

    /// Whether an alert recorded under a silence is no longer covered by an active one: then
    /// an evaluation announces it. Silences are written by the CLI, so this reads the state.
    public func silenceEnded() throws -> Bool {
        let unannounced = open.values.filter { $0.silencedBy != nil }
        if unannounced.isEmpty { return false }
        let active = try store.activeSilences(on: calendar.day(at: now()))
        return unannounced.contains { active.covering($0.key) == nil }
    }
}

/// Stage timings for the evaluation log line.
struct Lap {
    private var last = ContinuousClock.now

    /// Time since the previous lap.
    mutating func next() -> Duration {
        let now = ContinuousClock.now
        defer { last = now }
        return now - last
    }

    static func ms(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}
