import Foundation
import KamwatchDaemon
import KamwatchState
import KamwatchVocabulary

/// `kamwatch status`: the open alerts in the daemon's state, newest first, with since when,
/// their severity and the silence that covers them. Read-only; needs no data directory.
public struct StatusRun: Sendable {
    public var options: StateOptions
    /// Decides "today" for which silences are active.
    public var now: @Sendable () -> Date

    public init(options: StateOptions, now: @escaping @Sendable () -> Date = Date.init) {
        self.options = options
        self.now = now
    }

    /// One open alert as `status` shows it.
    struct Line {
        var open: OpenAlert
        /// The active silence covering it, or the one its firing was recorded under.
        var silencedBy: Int64?
    }

    public func run(output: Output) throws(CommandFailure) {
        let settings = try options.settings(command: "status")
        let store = try StateOptions.open(settings, readOnly: true, command: "status")
        let today = Day(now(), in: settings.timeZone)
        let lines: [Line]
        let health: [HealthProblem]
        do {
            let silences = try store.activeSilences(on: today)
            lines = try store.openAlerts()
                .sorted { ($0.since, $1.key) > ($1.since, $0.key) }
                .map { Line(open: $0, silencedBy: silences.covering($0.key)?.id ?? $0.silencedBy) }
            health = try store.healthProblems()
        } catch {
            throw CommandFailure(StateOptions.oneLine(error), command: "status", exitCode: 1)
        }
        switch options.format {
        case .json:
            output.out(lines.map { Self.json($0) + "\n" }.joined() + health.map { Self.json($0) + "\n" }.joined())
        case .text:
            output.out(Self.text(lines, health: health, zone: settings.timeZone))
        }
    }

    static func text(_ lines: [Line], health: [HealthProblem], zone: TimeZone) -> String {
        var out = ""
        if lines.isEmpty {
            out += "no open alerts\n"
        } else {
            let rows =
                [["SINCE", "SEVERITY", "RULE", "ACCOUNT", "SILENCED", "MESSAGE"]]
                + lines.map { l in
                    [
                        Self.local(l.open.since, zone: zone), l.open.severity.rawValue, l.open.rule,
                        "\(l.open.accountName) (\(l.open.accountID))", l.silencedBy.map { "#\($0)" } ?? "",
                        l.open.message,
                    ]
                }
            out += Columns.render(rows)
        }
        if !health.isEmpty {
            out += "\ninput health:\n"
            out += Columns.render(
                [["SINCE", "CHECK", "SUBJECT", "PROBLEM"]]
                    + health.map { [Self.local($0.since, zone: zone), $0.check, $0.subject, $0.detail] })
        }
        return out
    }

    /// `YYYY-MM-DD HH:MM` in `zone`.
    static func local(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(Day(date, in: zone)) \(two(c.hour ?? 0)):\(two(c.minute ?? 0))"
    }

    static func json(_ l: Line) -> String {
        let o = l.open
        let fields: [(String, String)] = [
            ("kind", JSONText.quote("alert")),
            ("rule", JSONText.quote(o.rule)),
            ("account_id", JSONText.quote(o.accountID)),
            ("account_name", JSONText.quote(o.accountName)),
            ("severity", JSONText.quote(o.severity.rawValue)),
            ("since", JSONText.quote(RFC3339.format(o.since))),
            ("silenced_by", l.silencedBy.map { String($0) } ?? "null"),
            ("owner", o.owner.map(JSONText.quote) ?? "null"),
            ("lead", o.lead.map(JSONText.quote) ?? "null"),
            ("message", JSONText.quote(o.message)),
            ("evidence", o.evidence.jsonObject),
        ]
        return "{" + fields.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    static func json(_ h: HealthProblem) -> String {
        let fields: [(String, String)] = [
            ("kind", JSONText.quote("health")),
            ("check", JSONText.quote(h.check)),
            ("subject", JSONText.quote(h.subject)),
            ("since", JSONText.quote(RFC3339.format(h.since))),
            ("detail", JSONText.quote(h.detail)),
        ]
        return "{" + fields.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
