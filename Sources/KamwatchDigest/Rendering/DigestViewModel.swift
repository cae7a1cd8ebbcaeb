import KamwatchData
import KamwatchRules
import KamwatchVocabulary

/// Turns a `DigestInput` into the plain dictionaries the Mustache templates read.
struct DigestViewModel {
    let input: DigestInput
    let strings: DigestStrings

    var language: Language { strings.language }

    /// The day as the language writes it.
    func dayText(_ day: Day) -> String { NumberText.date(day, language: language) }

    var subject: String {
        let date = dayText(input.date)
        if input.isAllClear { return strings.format("allClearSubject", ["date": date]) }
        return strings.format(
            "subject",
            [
                "new": strings.plural("count.new", input.count(.new)),
                "open": strings.plural("count.open", input.count(.open)),
                "resolved": strings.plural("count.resolved", input.count(.resolved)), "date": date,
            ])
    }

    var summary: String {
        [DigestBucket.new, .open, .resolved].map { strings.plural("count.\($0.rawValue)", input.count($0)) }
            .joined(separator: ", ")
    }

    func context(subject: String) -> [String: Any] {
        // One block per account: the account once, its signals under it.
        let accounts: [[String: Any]] = input.accounts.map { signals in
            let first = signals[0]
            var out: [String: Any] = [
                "accountName": first.accountName, "accountID": first.accountID,
                "owner": first.owner ?? strings.format("label.noOwner"), "signals": signals.map(item),
                "signalCount": strings.plural("signals", signals.count),
            ]
            if let stake = signals.compactMap(\.revenueAtStake).max() {
                out["stake"] = NumberText.format(stake, decimals: 0, language: language)
            }
            return out
        }
        let intro =
            input.previousDate.map { strings.format("previousLine", ["date": dayText($0)]) }
            ?? strings.format("firstLine")
        return [
            "s": strings.labels, "lang": language.rawValue, "subject": subject, "lead": input.lead,
            "date": dayText(input.date), "heading": strings.format("heading"),
            "recipientLine": strings.format("recipientLine", ["lead": input.lead]), "intro": intro,
            "summary": summary,
            "silencedLine": input.silenced > 0
                ? strings.format("silencedLine", ["count": String(input.silenced)]) : false,
            "allClear": input.isAllClear, "allClearText": strings.format("allClearText"),
            "accounts": accounts, "counts": countChips,
            "footer": strings.format("footer", ["date": dayText(input.date)]),
        ]
    }

    private var countChips: [[String: Any]] {
        DigestBucket.allCases.map { bucket in
            ["text": strings.plural("count.\(bucket.rawValue)", input.count(bucket)), "color": Palette.accent(bucket)]
        }
    }

    private func item(_ item: DigestItem) -> [String: Any] {
        let resolved = item.bucket == .resolved
        let severityKey = resolved ? "resolved" : item.severity.rawValue
        let evidence = item.evidence.map { entry in
            let (label, value) = (item.evidenceStyles[entry.key] ?? EvidenceStyle()).text(
                key: entry.key, value: entry.value, language: language)
            return ["label": label, "value": value]
        }
        let message = item.alert.message(in: language)
        var out: [String: Any] = [
            "severityLabel": strings.format("severity.\(severityKey)"),
            "severityUpper": strings.format("severity.\(severityKey)").uppercased(),
            "badgeColor": Palette.badge(item.severity, resolved: resolved),
            "rowTint": Palette.tint(item.severity, resolved: resolved),
            "ruleTitle": item.ruleTitle, "message": message, "hasMessage": !message.isEmpty,
            "evidence": evidence, "hasEvidence": !evidence.isEmpty,
            "evidenceText": evidence.map { "\($0["label"]!): \($0["value"]!)" }.joined(separator: " · "),
            "ageText": ageText(item), "ageShort": ageShort(item), "ageNote": ageNote(item),
        ]
        if item.bucket == .new { out["newLabel"] = strings.format("label.new") }
        if let advice = item.advice, !advice.isEmpty { out["advice"] = advice }
        if let previous = item.previousSeverity, previous != item.severity {
            out["changed"] = strings.format("severityWas.\(previous.rawValue)")
        }
        return out
    }

    private func ageText(_ item: DigestItem) -> String {
        let days = strings.plural("days", item.ageDays)
        if let resolvedOn = item.resolvedOn {
            let key = item.ageDays == 0 ? "age.resolvedSameDay" : "age.resolved"
            return strings.format(key, ["resolvedOn": dayText(resolvedOn), "days": days])
        }
        if item.ageDays == 0 { return strings.format("age.today") }
        return strings.format("age.open", ["days": days, "since": dayText(item.since)])
    }

    /// The age column's figure: "3 days", or "today" for an alert that started today.
    private func ageShort(_ item: DigestItem) -> String {
        item.ageDays == 0 && item.resolvedOn == nil
            ? strings.format("age.todayShort") : strings.plural("days", item.ageDays)
    }

    /// The line under the figure: when it started, or when it resolved (label and day apart,
    /// so the HTML can keep the day on one line).
    private func ageNote(_ item: DigestItem) -> [String: String] {
        if let resolvedOn = item.resolvedOn {
            return ["label": strings.format("age.resolvedLabel"), "day": dayText(resolvedOn)]
        }
        return ["label": strings.format("age.sinceLabel"), "day": dayText(item.since)]
    }
}

/// Colours of the HTML part, chosen for contrast on white (WCAG AA for the badge text).
enum Palette {
    static func badge(_ severity: Severity, resolved: Bool) -> String {
        if resolved { return "#1a7f37" }
        return severity == .critical ? "#b42318" : "#b45309"
    }

    static func tint(_ severity: Severity, resolved: Bool) -> String {
        if resolved { return "#f3faf5" }
        return severity == .critical ? "#fef3f2" : "#fffaeb"
    }

    static func accent(_ bucket: DigestBucket) -> String {
        switch bucket {
        case .new: "#1d4ed8"
        case .open: "#475467"
        case .resolved: "#1a7f37"
        }
    }
}
