import Foundation
import KamwatchDaemon
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// `kamwatch silence add|list|expire`: silences in the daemon's state, written while it runs.
public struct SilenceRun: Sendable {
    public var options: StateOptions
    /// The wall clock: decides "today" (in the configured zone) and when a silence was made.
    public var now: @Sendable () -> Date

    public init(options: StateOptions, now: @escaping @Sendable () -> Date = Date.init) {
        self.options = options
        self.now = now
    }

    /// Adds a silence and prints its id. A rule id the rules directory does not know is
    /// accepted with a warning (the rule may come later); a day already past is refused.
    public func add(
        rule: String?, account: String?, until: String, reason: String, by: String?, output: Output
    ) throws(CommandFailure) {
        let command = "silence add"
        guard rule != nil || account != nil else {
            throw CommandFailure("say what to silence: --rule RULE, --account ACCOUNT_ID, or both", command: command)
        }
        guard let last = Day(iso: until) else {
            throw CommandFailure("--until takes a day as YYYY-MM-DD, not \"\(until)\"", command: command)
        }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else {
            throw CommandFailure("--reason must say why (it is shown with the silence)", command: command)
        }
        let settings = try options.settings(command: command)
        let time = now()
        let today = Day(time, in: settings.timeZone)
        guard last >= today else {
            throw CommandFailure(
                "--until \(last) is in the past (today is \(today) in \(settings.timezone))", command: command)
        }
        if let rule, let known = Self.ruleIDs(settings), !known.contains(rule) {
            output.err("kamwatch \(command): warning: no rule \"\(rule)\" in the rules directory (silenced anyway)\n")
        }
        let store = try StateOptions.open(settings, readOnly: false, command: command)
        let silence: Silence
        do {
            silence = try store.addSilence(
                Silence(
                    rule: rule, accountID: account, until: last, reason: why,
                    createdBy: by ?? ProcessInfo.processInfo.environment["SUDO_USER"]
                        ?? ProcessInfo.processInfo.environment["USER"],
                    createdAt: time))
        } catch {
            throw CommandFailure(StateOptions.oneLine(error), command: command, exitCode: 1)
        }
        switch options.format {
        case .text: output.out("\(silence.id)\n")
        case .json: output.out(Self.json(silence, today: today) + "\n")
        }
    }

    /// Lists silences, newest first: the active ones, or all with `all`.
    public func list(all: Bool, output: Output) throws(CommandFailure) {
        let settings = try options.settings(command: "silence list")
        let store = try StateOptions.open(settings, readOnly: true, command: "silence list")
        let today = Day(now(), in: settings.timeZone)
        let silences: [Silence]
        do {
            silences = try store.silences().filter { all || $0.isActive(on: today) }
        } catch {
            throw CommandFailure(StateOptions.oneLine(error), command: "silence list", exitCode: 1)
        }
        switch options.format {
        case .json:
            output.out(silences.map { Self.json($0, today: today) + "\n" }.joined())
        case .text:
            if silences.isEmpty {
                output.out(all ? "no silences\n" : "no active silences\n")
                return
            }
            let rows =
                [["ID", "RULE", "ACCOUNT", "UNTIL", "STATE", "BY", "REASON"]]
                + silences.map {
                    [
                        String($0.id), $0.rule ?? "*", $0.accountID ?? "*", $0.until, Self.state($0, today: today),
                        $0.createdBy ?? "", $0.reason,
                    ]
                }
            output.out(Columns.render(rows))
        }
    }

    /// Ends silence `id` now; the daemon announces what it covered within a minute.
    public func expire(id: Int64, output: Output) throws(CommandFailure) {
        let command = "silence expire"
        let settings = try options.settings(command: command)
        let store = try StateOptions.open(settings, readOnly: false, command: command)
        let time = now()
        let silence: Silence?
        do {
            silence = try store.expireSilence(id: id, at: time)
        } catch {
            throw CommandFailure(StateOptions.oneLine(error), command: command, exitCode: 1)
        }
        guard let silence else { throw CommandFailure("no silence \(id)", command: command) }
        let today = Day(time, in: settings.timeZone)
        switch options.format {
        case .json: output.out(Self.json(silence, today: today) + "\n")
        case .text:
            output.out(
                silence.expiredAt == time ? "expired silence \(id)\n" : "silence \(id) had already ended\n")
        }
    }

    static func state(_ s: Silence, today: Day) -> String {
        s.expiredAt != nil ? "expired" : s.isActive(on: today) ? "active" : "ended"
    }

    static func json(_ s: Silence, today: Day) -> String {
        let fields: [(String, String)] = [
            ("id", String(s.id)),
            ("rule", s.rule.map(JSONText.quote) ?? "null"),
            ("account_id", s.accountID.map(JSONText.quote) ?? "null"),
            ("until", JSONText.quote(s.until)),
            ("state", JSONText.quote(state(s, today: today))),
            ("reason", JSONText.quote(s.reason)),
            ("by", s.createdBy.map(JSONText.quote) ?? "null"),
            ("created_at", JSONText.quote(RFC3339.format(s.createdAt))),
            ("expired_at", s.expiredAt.map { JSONText.quote(RFC3339.format($0)) } ?? "null"),
        ]
        return "{" + fields.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The rule ids of the configured rules directory; `nil` when it cannot be read.
    static func ruleIDs(_ settings: DaemonConfig) -> Set<String>? {
        guard let directory = try? RulesDirectory.find(settings.rulesDir),
            let rules = try? RuleSet.load(directory: directory)
        else { return nil }
        return Set(rules.rules.map(\.id))
    }
}
