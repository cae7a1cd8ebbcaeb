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
    /// The leads last recorded in the state (written again only when they change).
    private var recordedLeads: Set<String>?

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
        store: StateStore,
        emitter: Emitter, now: @escaping @Sendable () -> Date = Date.init,
        executor: ThreadExecutor = ThreadExecutor(name: "kamwatch-eval"), logger: Logger
    ) throws {
        self.executor = executor
        self.rules = rules
        self.locale = locale
        self.calendar = LocalCalendar(zone: timeZone)
        // Only the text columns the rules read are kept (see `DataCache.keep`).
        self.cache = DataCache(directory: dataDir, keeping: rules.columnsUsed, sources: sources)
        self.store = store
        self.emitter = emitter
        self.now = now
        self.logger = logger
        let stored = try store.openAlerts()
        self.open = Dictionary(uniqueKeysWithValues: stored.map { ($0.key, $0) })
        self.status.openAlerts = stored.count
    }

    /// Re-reads the changed tables, then evaluates.
    public func dataChanged(_ change: DataChange) throws {
        let started = ContinuousClock.now
        // Mapped exports have their own file names: any change may concern any table.
        let tables = cache.sources == nil ? change.affectedTables : Set(TableName.allCases)
        let problem = cache.reload(tables, logger: logger)
        try evaluate(problem: problem, readTime: ContinuousClock.now - started)
    }

    /// Replaces the rules (already validated as a whole) and the settings that can change at run time.
    public func replace(rules: RuleSet, locale: Language, timeZone: TimeZone, sources: SourcePlan? = nil) throws {
        self.rules = rules
        self.locale = locale
        self.emitter.locale = locale
        self.calendar = LocalCalendar(zone: timeZone)
        // New rules may read text columns the cached tables left out: read those tables again.
        var stale = cache.keep(rules.columnsUsed)
        if sources != nil || cache.sources != nil {
            cache.use(sources)
            stale = Set(TableName.allCases)
        }
        var problem: String?
        if !stale.isEmpty {
            logger.info("the new rules read more columns: reading the data again")
            problem = cache.reload(stale, logger: logger)
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

    private func evaluate(problem: String?, readTime: Duration = .zero) throws {
        if let problem { status.lastError = problem }
        // Without an accounts table every alert would resolve; wait for one instead.
        guard cache.tables[.accounts] != nil else { return }
        var lap = Lap()
        let book = cache.book(logger: logger)
        let assembleTime = lap.next()
        let time = now()
        let day = calendar.day(at: time)
        let alerts = rules.evaluate(book: book, at: day, locale: locale)
        let current = alerts.map { a in
            var a = a
            a.revenueAtStake = book.netRevenue(ofAccountID: a.accountID, at: day)
            return a
        }
        let evaluateTime = lap.next()
        let plan = TransitionPlanner.plan(current: current, open: Array(open.values))
        if emissionFailed {
            // Earlier transitions were recorded but not all emitted: they go first, in seq order.
            try emitter.recover()
            emissionFailed = false
        }
        let records = try store.apply(plan, at: time)
        remember(plan, at: time)
        let leads = book.leads
        if leads != recordedLeads {
            try store.recordLeads(leads)
            recordedLeads = leads
        }
        let recordTime = lap.next()
        do {
            try emitter.emit(records)
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
        if !records.isEmpty {
            logger.info(
                "evaluated: \(records.count) transitions",
                metadata: [
                    "accounts": "\(book.accountCount)", "open": "\(open.count)", "day": "\(day)",
                    "read_ms": "\(Lap.ms(readTime))", "assemble_ms": "\(Lap.ms(assembleTime))",
                    "evaluate_ms": "\(Lap.ms(evaluateTime))", "record_ms": "\(Lap.ms(recordTime))",
                    "emit_ms": "\(Lap.ms(emitTime))",
                ])
        }
    }

    /// Mirrors what `store.apply` did to the open alerts.
    private func remember(_ plan: TransitionPlan, at time: Date) {
        for t in plan.transitions {
            let a = t.alert
            switch (t.state, t.previousSeverity) {
            case (.resolved, _): open[a.key] = nil
            case (.firing, nil): open[a.key] = OpenAlert(a, since: time)
            case (.firing, .some): open[a.key] = OpenAlert(a, since: open[a.key]?.since ?? time)
            }
        }
        for a in plan.refreshed { open[a.key] = OpenAlert(a, since: open[a.key]?.since ?? time) }
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
