import Foundation
import KamwatchState
import KamwatchSystemd
import KamwatchVocabulary

/// The journal entry of an input problem raised or resolved: its check's own `MESSAGE_ID`,
/// `PRIORITY` warning when raised and notice when resolved. It carries no `KAMWATCH_INSTANCE`:
/// that field marks transitions, which recovery looks up by seq.
public enum HealthJournalEntry {
    public static func make(_ p: HealthProblem, raised: Bool) -> JournalEntry {
        var entry = JournalEntry(
            message: "input health: \(p.check) \(raised ? "raised" : "resolved"): \(p.subject): \(p.detail)",
            priority: raised ? .warning : .notice,
            messageID: InputHealth.messageIDs[p.check].flatMap(JournalMessageID.init))
        let fields: [(String, String)] = [
            ("KAMWATCH_HEALTH_CHECK", p.check),
            ("KAMWATCH_SUBJECT", p.subject),
            ("KAMWATCH_STATE", raised ? "raised" : "resolved"),
            ("KAMWATCH_DETAIL", p.detail),
        ]
        // The names above are valid journal field names.
        for (name, value) in fields { try? entry.append(name, value) }
        return entry
    }
}
