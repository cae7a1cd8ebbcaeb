import Foundation
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// `kamwatch check`: evaluate the rules once against a data directory and print the alerts.
///
/// Data problems go to standard error as `file:line:column: reason` and the evaluation still
/// runs; a missing or unreadable rules or data directory fails with exit status 2.
public struct CheckRun: Sendable {
    public var data: String
    /// The rules directory; `nil` for the default one (`RulesDirectory`).
    public var rules: String?
    /// The as-of day; `nil` for today in the local time zone.
    public var day: Day?
    public var format: OutputFormat
    /// A state directory whose recorded history is used, read-only; `nil` for the files alone.
    public var state: String?
    public var locale: Language
    /// Print rows, bytes, timings and peak memory to standard error.
    public var stats: Bool
    /// Where `KAMWATCH_RULES_DIR` and `NO_COLOR` are looked up.
    public var environment: [String: String]
    /// A sources file (SPEC §6); `nil` reads the data directory as SPEC §1 says.
    public var sources: String?

    public init(
        data: String, rules: String? = nil, day: Day? = nil, format: OutputFormat = .text,
        locale: Language = .en, stats: Bool = false, state: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, sources: String? = nil
    ) {
        self.sources = sources
        self.data = data
        self.rules = rules
        self.day = day
        self.format = format
        self.locale = locale
        self.stats = stats
        self.state = state
        self.environment = environment
    }

    public func run(output: Output) throws(CommandFailure) {
        let start = ContinuousClock.now
        let day = day ?? Self.today()
        let environment = self.environment
        let plan = try sources.map { (path) throws(CommandFailure) in
            try SourcesRun.plan(path, environment: environment)
        }
        // Rules may read the columns of the user's own that the sources file declares.
        let ruleSet = try loadRules(schema: plan?.schema ?? .standard)
        try verifyDataDirectory()
        let history = try loadHistory()
        var loaded: (book: Book, issues: [InputIssue])
        do {
            // Only the text columns the rules read (and alerts carry) are kept, and those of the history.
            let selection = history == nil ? ruleSet.columnsUsed : ruleSet.columnsUsed.keepingHistory
            if let plan {
                loaded = try Book.load(directory: data, sources: plan, keeping: selection)
            } else {
                loaded = try Book.load(directory: data, keeping: selection)
            }
        } catch {
            throw CommandFailure(error.description)
        }
        if let history { loaded.book = loaded.book.applying(history, on: day) }
        let readDone = ContinuousClock.now
        output.err(loaded.issues.map { $0.description + "\n" }.joined())

        let alerts = ruleSet.evaluate(book: loaded.book, at: day, locale: locale)
        let evaluateDone = ContinuousClock.now

        switch format {
        case .json:
            output.out(AlertJSON.bytes(alerts))
        case .text:
            let report = TextReport(
                colour: TextReport.wantsColour(environment: environment), locale: locale,
                evidenceStyles: ruleSet.evidenceStyles)
            output.out(report.render(alerts, accountCount: loaded.book.accountCount, at: day))
        }
        if stats {
            let stats = CheckStats(
                book: loaded.book, bytes: CheckStats.bytesRead(data, sources: plan), read: readDone - start,
                evaluate: evaluateDone - readDone, total: ContinuousClock.now - start)
            output.err(stats.lines)
        }
    }

    private func loadRules(schema: BookSchema) throws(CommandFailure) -> RuleSet {
        let directory: String
        do {
            directory = try RulesDirectory.find(rules, environment: environment)
        } catch {
            throw CommandFailure(error.description)
        }
        do {
            return try RuleSet.load(directory: directory, schema: schema)
        } catch {
            throw CommandFailure(error.description)
        }
    }

    /// The recorded history of `state`, read-only; `nil` without `--state`.
    private func loadHistory() throws(CommandFailure) -> ContactHistory? {
        guard let state else { return nil }
        do {
            return try StateStore(directory: state, readOnly: true).history()
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    private func verifyDataDirectory() throws(CommandFailure) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: data, isDirectory: &isDirectory) else {
            throw CommandFailure("\(data): no such data directory")
        }
        guard isDirectory.boolValue else {
            throw CommandFailure("\(data): not a directory (--data takes the directory of CSV files)")
        }
    }

    /// Today's date in the local time zone.
    static func today() -> Day {
        let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? Day(ordinal: 0)
    }
}
