import Foundation
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// The JSON object of one alert file, keys in a fixed order.
public enum OutboxDocument {
    /// `{"seq":…,"time":…,"state":…,…,"evidence":{…}}` followed by a newline.
    public static func json(_ r: TransitionRecord) -> String {
        // Appended into one string (a first start writes tens of thousands of files).
        var out = "{\"seq\":"
        out.reserveCapacity(1_024)
        out += String(r.seq)
        func add(_ key: String, _ value: String?) {
            out += key
            if let value { out += JSONText.quote(value) } else { out += "null" }
        }
        add(",\"time\":", RFC3339.format(r.time))
        add(",\"state\":", r.state.rawValue)
        add(",\"rule\":", r.rule)
        add(",\"account_id\":", r.accountID)
        add(",\"account_name\":", r.accountName)
        add(",\"severity\":", r.severity.rawValue)
        add(",\"previous_severity\":", r.previousSeverity?.rawValue)
        add(",\"owner\":", r.owner)
        add(",\"lead\":", r.lead)
        add(",\"message\":", r.message)
        out += ",\"evidence\":"
        out += r.evidence.jsonObject
        out += ",\"revenue_at_stake\":"
        out += r.revenueAtStake.map(NumberText.json) ?? "null"
        out += "}\n"
        return out
    }
}
