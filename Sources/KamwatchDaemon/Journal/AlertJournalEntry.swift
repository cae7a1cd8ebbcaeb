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
        let fields: [(JournalFieldName, String?)] = [
            (Names.rule, r.rule),
            (Names.accountID, r.accountID),
            (Names.account, r.accountName),
            (Names.severity, r.severity.rawValue),
            (Names.previousSeverity, r.state == .firing ? r.previousSeverity?.rawValue : nil),
            (Names.state, r.state.rawValue),
            (Names.owner, r.owner ?? ""),
            (Names.lead, r.lead ?? ""),
            (Names.evidence, r.evidence.jsonObject),
            (Names.revenueAtStake, r.revenueAtStake.map { NumberText.json($0) }),
            (Names.time, RFC3339.format(r.time)),
            (Names.silenced, r.silenceID.map { String($0) }),
            (Names.seq, String(r.seq)),
            (Names.instance, instance),
        ]
        // Owner and lead are always there (empty when unknown), so `journalctl KAMWATCH_LEAD=` finds the unassigned.
        for case (let name, let value?) in fields {
            entry.append(JournalField(name: name, value: value))
        }
        return entry
    }

    /// The field names, validated once (tens of thousands of entries at a first start).
    private enum Names {
        static let rule = valid("KAMWATCH_RULE")
        static let accountID = valid("KAMWATCH_ACCOUNT_ID")
        static let account = valid("KAMWATCH_ACCOUNT")
        static let severity = valid("KAMWATCH_SEVERITY")
        static let previousSeverity = valid("KAMWATCH_PREVIOUS_SEVERITY")
        static let state = valid("KAMWATCH_STATE")
        static let owner = valid("KAMWATCH_OWNER")
        static let lead = valid("KAMWATCH_LEAD")
        static let evidence = valid("KAMWATCH_EVIDENCE")
        static let revenueAtStake = valid("KAMWATCH_REVENUE_AT_STAKE")
        static let time = valid("KAMWATCH_TIME")
        static let silenced = valid(silencedField)
        static let seq = valid(seqField)
        static let instance = valid(instanceField)

        private static func valid(_ name: String) -> JournalFieldName {
            // The names above are valid journal field names.
            do { return try JournalFieldName(name) } catch { preconditionFailure("\(error)") }
        }
    }
}
