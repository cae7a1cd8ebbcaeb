import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// The JSON object of one alert file, keys in a fixed order.
public enum OutboxDocument {
    /// `{"seq":…,"time":…,"state":…,…,"evidence":{…}}` followed by a newline.
    public static func json(_ r: TransitionRecord) -> String {
        func q(_ s: String?) -> String { s.map(JSONText.quote) ?? "null" }
        let fields: [(String, String)] = [
            ("seq", String(r.seq)),
            ("time", q(RFC3339.format(r.time))),
            ("state", q(r.state.rawValue)),
            ("rule", q(r.rule)),
            ("account_id", q(r.accountID)),
            ("account_name", q(r.accountName)),
            ("severity", q(r.severity.rawValue)),
            ("previous_severity", q(r.previousSeverity?.rawValue)),
            ("owner", q(r.owner)),
            ("lead", q(r.lead)),
            ("message", q(r.message)),
            ("evidence", r.evidence.jsonObject),
            ("revenue_at_stake", r.revenueAtStake.map(NumberText.json) ?? "null"),
        ]
        return "{" + fields.map { JSONText.quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}\n"
    }
}
