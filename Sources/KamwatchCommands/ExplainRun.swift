import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// `kamwatch explain ACCOUNT_ID`: for every rule, whether the account is in scope, each `let`
/// value, whether `when` held, which severity step held, and the evidence — computed by the
/// same compiled rules that raise the alerts (`RuleSet.explain`).
public struct ExplainRun: Sendable {
    public var account: String
    /// The data directory; `nil` for the config's `data_dir`.
    public var data: String?
    /// The rules directory; `nil` for the config's `rules_dir` (or the shipped rules).
    public var rules: String?
    /// Where the config and the state are (`--config`, `--state`); the state, when it exists,
    /// adds whether each alert is open and silenced.
    public var options: StateOptions
    /// The as-of day, `YYYY-MM-DD`; `nil` for today in the configured zone.
    public var at: String?
    public var locale: Language?
    /// A sources file (SPEC §6); `nil` for the config's `sources:` (none: the SPEC §1 layout).
    public var sources: String?
    public var environment: [String: String]

    public init(
        account: String, data: String? = nil, rules: String? = nil, options: StateOptions = StateOptions(),
        at: String? = nil, locale: Language? = nil, sources: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.account = account
        self.data = data
        self.rules = rules
        self.options = options
        self.at = at
        self.locale = locale
        self.sources = sources
        self.environment = environment
    }

    public func run(output: Output) throws(CommandFailure) {
        let settings = try options.settings(command: "explain")
        let language = locale ?? settings.locale
        let day: Day
        if let at {
            guard let given = Day(iso: at) else {
                throw CommandFailure("--at takes a day as YYYY-MM-DD, not \"\(at)\"", command: "explain")
            }
            day = given
        } else {
            day = Day(Date(), in: settings.timeZone)
        }
        var plan: SourcePlan?
        if let path = sources ?? settings.sources {
            do {
                plan = try SourcesFile.load(
                    path: path, presets: RulesDirectory.shippedSources(environment: environment))
            } catch {
                throw CommandFailure("\(error)", command: "explain")
            }
        }
        let ruleSet: RuleSet
        do {
            ruleSet = try RuleSet.load(
                directory: try RulesDirectory.find(rules ?? settings.rulesDir, environment: environment),
                schema: plan?.schema ?? .standard)
        } catch {
            throw CommandFailure("\(error)", command: "explain")
        }
        let directory = data ?? settings.dataDir
        // The history the daemon recorded, when its state is there: the alerts it gives
        // (contacts that left, parent changes) are explained as the daemon raises them.
        let history = Self.history(settings)
        var book: Book
        do {
            let selection = history == nil ? ruleSet.columnsUsed : ruleSet.columnsUsed.keepingHistory
            if let plan {
                book = try Book.load(directory: directory, sources: plan, keeping: selection).book
            } else {
                book = try Book.load(directory: directory, keeping: selection).book
            }
        } catch {
            throw CommandFailure(error.description, command: "explain")
        }
        if let history { book = book.applying(history, on: day) }
        guard let explained = ruleSet.explain(book: book, at: day, accountID: account, locale: language) else {
            throw CommandFailure("no account \"\(account)\" in \(directory)/accounts.csv", command: "explain")
        }
        let open = Self.openAlerts(settings, account: account)
        switch options.format {
        case .json:
            output.out(explained.map { Self.json($0, open: open[$0.rule], at: day) + "\n" }.joined())
        case .text:
            let text = ExplainText(colour: TextReport.wantsColour(environment: environment))
            output.out(text.render(account: account, at: day, explained, open: open))
        }
    }

    /// The recorded history, when the state database is there and holds one.
    static func history(_ settings: DaemonConfig) -> ContactHistory? {
        let path = (settings.stateDir as NSString).appendingPathComponent(StateStore.fileName)
        guard FileManager.default.isReadableFile(atPath: path),
            let store = try? StateStore(path: path, readOnly: true, busyTimeout: 1),
            let history = try? store.history(), !history.days.isEmpty
        else { return nil }
        return history
    }

    /// The account's open alerts by rule, when the state database is there (best effort: an
    /// explanation needs no state).
    static func openAlerts(_ settings: DaemonConfig, account: String) -> [String: OpenAlert] {
        let path = (settings.stateDir as NSString).appendingPathComponent(StateStore.fileName)
        guard FileManager.default.isReadableFile(atPath: path),
            let store = try? StateStore(path: path, readOnly: true, busyTimeout: 1),
            let open = try? store.openAlerts()
        else { return [:] }
        return Dictionary(open.filter { $0.accountID == account }.map { ($0.rule, $0) }) { a, _ in a }
    }

    static func json(_ e: RuleExplanation, open: OpenAlert?, at day: Day) -> String {
        func bool(_ b: Bool?) -> String { b.map { $0 ? "true" : "false" } ?? "null" }
        let lets =
            "{" + e.definitions.map { JSONText.quote($0.name) + ":" + $0.value.json }.joined(separator: ",") + "}"
        let fields: [(String, String)] = [
            ("rule", JSONText.quote(e.rule)),
            ("at", JSONText.quote(day.description)),
            ("in_scope", bool(e.inScope)),
            ("let", lets),
            ("when", bool(e.inScope ? e.holds : nil)),
            ("critical", bool(e.criticalHeld)),
            ("warning", bool(e.warningHeld)),
            ("severity", e.alert.map { JSONText.quote($0.severity.rawValue) } ?? "null"),
            ("evidence", e.alert?.evidence.jsonObject ?? "null"),
            ("message", e.alert.map { JSONText.quote($0.message) } ?? "null"),
            ("open_since", open.map { JSONText.quote(RFC3339.format($0.since)) } ?? "null"),
        ]
        return "{" + fields.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}

/// `explain`'s text for people: one block per rule, labels aligned, colour on a terminal only.
struct ExplainText {
    var colour: Bool

    func render(account: String, at day: Day, _ explained: [RuleExplanation], open: [String: OpenAlert]) -> String {
        let name = explained.compactMap(\.alert).first?.accountName
        var out = paint("\(account)" + (name.map { " \($0)" } ?? ""), "1") + " as of \(day)\n"
        for e in explained {
            out += "\n" + paint(e.rule, "36") + "  " + outcome(e) + "\n"
            var rows: [(String, String)] = []
            rows.append(("scope", condition(e.texts.scope ?? "(every account)", e.inScope)))
            guard e.inScope else {
                out += lines(rows)
                continue
            }
            for (i, d) in e.definitions.enumerated() {
                rows.append((i == 0 ? "let" : "", "\(d.name) = \(value(d.value))"))
            }
            if let when = e.texts.when { rows.append(("when", condition(when, e.holds))) }
            if let c = e.texts.critical, let held = e.criticalHeld { rows.append(("critical", condition(c, held))) }
            if let w = e.texts.warning, let held = e.warningHeld { rows.append(("warning", condition(w, held))) }
            if let a = e.alert {
                for (i, entry) in a.evidence.enumerated() {
                    rows.append((i == 0 ? "evidence" : "", "\(entry.key) = \(value(entry.value))"))
                }
                rows.append(("message", a.message))
            }
            if let o = open[e.rule] {
                rows.append(
                    ("open", "since \(RFC3339.format(o.since))" + (o.silencedBy.map { ", silenced by #\($0)" } ?? "")))
            }
            out += lines(rows)
        }
        return out
    }

    private func outcome(_ e: RuleExplanation) -> String {
        if let a = e.alert {
            return paint(a.severity.rawValue.uppercased(), a.severity == .critical ? "1;31" : "1;33")
        }
        if !e.inScope { return paint("not in scope", "2") }
        return e.holds ? "holds, but no severity step held" : "does not hold"
    }

    private func condition(_ text: String, _ held: Bool) -> String {
        text + "  → " + (held ? paint("yes", "32") : paint("no", "2"))
    }

    private func value(_ v: EvidenceValue) -> String {
        switch v {
        case .number(let n): NumberText.json(n)
        case .text(let s): "\"\(s)\""
        case .bool(let b): b ? "true" : "false"
        case .null: "null (no value)"
        }
    }

    private func lines(_ rows: [(String, String)]) -> String {
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { "  " + $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 + "\n" }
            .joined()
    }

    private func paint(_ s: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
