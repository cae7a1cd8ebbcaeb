import Foundation
import KamwatchRules
import KamwatchState
import KamwatchSystemd
import KamwatchVocabulary

/// The journal entry of one transition (SPEC §4): readable `MESSAGE`, priority by state and
/// severity, the rule's `MESSAGE_ID`, and `KAMWATCH_*` fields to select on.
public enum AlertJournalEntry {
    /// Field carrying the transition's seq; recovery looks entries up by it.
    public static let seqField = "KAMWATCH_SEQ"
    /// Field carrying the state database's id, so that daemons sharing a journal stay apart.
    public static let instanceField = "KAMWATCH_INSTANCE"

    /// Field naming the silence a transition was recorded under.
    public static let silencedField = "KAMWATCH_SILENCED"

    /// critical 2, warning 4, resolved 5; silenced 6.
    public static func priority(_ r: TransitionRecord) -> JournalPriority {
        if r.silenceID != nil { return .info }
        return switch (r.state, r.severity) {
        case (.resolved, _): .notice
        case (.firing, .critical): .critical
        case (.firing, .warning): .warning
        }
    }

    public static func message(_ r: TransitionRecord, locale: Language) -> String {
        let what: String
        switch (r.state, r.previousSeverity) {
        case (.resolved, _): what = locale == .ru ? "снято" : "resolved"
        case (.firing, nil): what = r.severity.rawValue
        case (.firing, let previous?): what = "\(previous.rawValue) → \(r.severity.rawValue)"
        }
        let silenced = r.silenceID.map { locale == .ru ? " (заглушено #\($0))" : " (silenced #\($0))" } ?? ""
        return "\(r.rule) \(what)\(silenced): \(r.accountName) (\(r.accountID)): \(r.message)"
    }

    public static func make(_ r: TransitionRecord, instance: String, locale: Language) -> JournalEntry {
        var entry = JournalEntry(
            message: message(r, locale: locale), priority: priority(r),
            messageID: r.messageID.flatMap(JournalMessageID.init))
        let fields: [(String, String?)] = [
            ("KAMWATCH_RULE", r.rule),
            ("KAMWATCH_ACCOUNT_ID", r.accountID),
            ("KAMWATCH_ACCOUNT", r.accountName),
            ("KAMWATCH_SEVERITY", r.severity.rawValue),
            ("KAMWATCH_PREVIOUS_SEVERITY", r.state == .firing ? r.previousSeverity?.rawValue : nil),
            ("KAMWATCH_STATE", r.state.rawValue),
            ("KAMWATCH_OWNER", r.owner ?? ""),
            ("KAMWATCH_LEAD", r.lead ?? ""),
            ("KAMWATCH_EVIDENCE", r.evidence.jsonObject),
            ("KAMWATCH_REVENUE_AT_STAKE", r.revenueAtStake.map { NumberText.json($0) }),
            ("KAMWATCH_TIME", RFC3339.format(r.time)),
            (silencedField, r.silenceID.map { String($0) }),
            (seqField, String(r.seq)),
            (instanceField, instance),
        ]
        // Owner and lead are always there (empty when unknown), so `journalctl KAMWATCH_LEAD=` finds the unassigned.
        for case (let name, let value?) in fields {
            // The names above are valid journal field names.
            try? entry.append(name, value)
        }
        return entry
    }
}
