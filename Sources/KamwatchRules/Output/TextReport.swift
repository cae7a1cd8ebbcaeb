import Foundation
import KamwatchData
import KamwatchVocabulary

/// Alerts for people: grouped by severity (critical first), then a summary line.
public struct TextReport: Sendable {
    /// Use ANSI colours.
    public var colour: Bool
    public var locale: Language
    /// Labels and formats of the evidence, by rule id then evidence name (`RuleSet.evidenceStyles`);
    /// an alert of a rule not listed shows no evidence line.
    public var evidenceStyles: [String: [String: EvidenceStyle]]

    public init(colour: Bool, locale: Language, evidenceStyles: [String: [String: EvidenceStyle]] = [:]) {
        self.colour = colour
        self.locale = locale
        self.evidenceStyles = evidenceStyles
    }

    /// Colour only for a terminal, and never when `NO_COLOR` is set (https://no-color.org).
    public static func wantsColour(fileDescriptor: Int32 = 1, environment: [String: String]) -> Bool {
        environment["NO_COLOR"] == nil && isatty(fileDescriptor) == 1
    }

    /// The report; `accountCount` and `at` complete the summary line when given.
    public func render(_ alerts: [Alert], accountCount: Int? = nil, at: Day? = nil) -> String {
        var out = ""
        let ru = locale == .ru
        for severity in [Severity.critical, .warning] {
            let group = alerts.filter { $0.severity == severity }
            if group.isEmpty { continue }
            let heading =
                severity == .critical ? (ru ? "КРИТИЧНО" : "CRITICAL") : (ru ? "ПРЕДУПРЕЖДЕНИЯ" : "WARNING")
            if !out.isEmpty { out += "\n" }
            out += paint("\(heading) (\(group.count))", severity == .critical ? "1;31" : "1;33") + "\n"
            let ruleWidth = group.map(\.rule.count).max() ?? 0
            for a in group {
                let pad = String(repeating: " ", count: ruleWidth - a.rule.count)
                out += "  " + paint(a.rule, "36") + pad + "  " + paint(a.accountID, "1") + "  " + a.accountName + "\n"
                let indent = "  " + String(repeating: " ", count: ruleWidth) + "  "
                out += indent + a.message + "\n"
                if let styles = evidenceStyles[a.rule], !a.evidence.isEmpty {
                    out += indent + paint(evidenceLine(a.evidence, styles), "2") + "\n"
                }
            }
        }
        if !out.isEmpty { out += "\n" }
        out += summary(alerts, accountCount: accountCount, at: at) + "\n"
        return out
    }

    /// `Label: value · Label: value`, as the rule file labels and formats them.
    private func evidenceLine(_ evidence: Evidence, _ styles: [String: EvidenceStyle]) -> String {
        evidence.map { entry in
            let (label, value) = (styles[entry.key] ?? EvidenceStyle()).text(
                key: entry.key, value: entry.value, language: locale)
            return label + ": " + value
        }.joined(separator: " · ")
    }

    private func summary(_ alerts: [Alert], accountCount: Int?, at: Day?) -> String {
        let critical = alerts.filter { $0.severity == .critical }.count
        let warning = alerts.count - critical
        let accounts = Set(alerts.map(\.accountID)).count
        if locale == .ru {
            var s = "Оповещений: \(alerts.count) (критичных \(critical), предупреждений \(warning))"
            s += ", клиентов: \(accounts)" + (accountCount.map { " из \($0)" } ?? "")
            if let at { s += ", на \(at)" }
            return s + "."
        }
        var s = "\(alerts.count) alert\(alerts.count == 1 ? "" : "s") (\(critical) critical, \(warning) warning)"
        s +=
            " on \(accounts)" + (accountCount.map { " of \($0)" } ?? "")
            + " account\((accountCount ?? accounts) == 1 ? "" : "s")"
        if let at { s += ", as of \(at)" }
        return s + "."
    }

    private func paint(_ s: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
