import Foundation
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// A fixed week of transitions for two leads and the fallback, used across the suites.
enum ExampleDigest {
    static let zone = TimeZone(identifier: "Europe/Moscow")!
    static let date = Day(iso: "2026-11-20")!
    static let anna = LeadAddress("anna.lead@example.com")!
    static let boris = LeadAddress("boris@example.com")!
    static let fallback = LeadAddress("sales-ops@example.com")!

    /// `YYYY-MM-DD HH:MM` Moscow time.
    static func at(_ text: String) -> Date {
        let parts = text.split(separator: " ")
        let day = Day(iso: parts[0])!
        let hm = parts[1].split(separator: ":").map { Double($0)! }
        return day.start(in: zone).addingTimeInterval(hm[0] * 3600 + hm[1] * 60)
    }

    static let styles: [String: [String: EvidenceStyle]] = [
        "single-contact": [
            "n": EvidenceStyle(label: LocalizedText(en: "Active contacts", ru: "Активных контактов"), format: .count)
        ],
        "discount-creep": [
            "recent_discount": EvidenceStyle(
                label: LocalizedText(en: "Discount, last 90 days", ru: "Скидка за 90 дней"), format: .inPercent),
            "baseline_discount": EvidenceStyle(
                label: LocalizedText(en: "Discount, the year before", ru: "Скидка за год до того"), format: .inPercent),
            "creep": EvidenceStyle(label: LocalizedText(en: "Rise in discount", ru: "Рост скидки"), format: .points),
        ],
        "cost-over-margin": [
            "margin": EvidenceStyle(label: LocalizedText(en: "Margin", ru: "Маржа"), format: .money),
            "cost": EvidenceStyle(label: LocalizedText(en: "Cost to serve", ru: "Затраты"), format: .money),
        ],
        "contact-turnover": [
            "base": EvidenceStyle(label: LocalizedText(en: "Contacts 180 days ago", ru: "Контактов 180 дней назад")),
            "left": EvidenceStyle(label: LocalizedText(en: "Left since", ru: "Ушли"), format: .count),
            "ratio": EvidenceStyle(label: LocalizedText(en: "Share that left", ru: "Доля ушедших"), format: .percent),
        ],
        "merger-exposure": [
            "event": EvidenceStyle(label: LocalizedText(en: "Event", ru: "Событие")),
            "share": EvidenceStyle(
                label: LocalizedText(en: "Revenue share", ru: "Доля выручки"), format: .percent),
        ],
        "revenue-decline": [
            "ratio": EvidenceStyle(
                label: LocalizedText(en: "Against a year ago", ru: "К прошлому году"), format: .percent)
        ],
    ]

    static let ruleTexts = RuleTextTable([
        "revenue-decline": [
            .en: RuleText(
                title: "Revenue is falling", advice: "Ask why orders dropped.",
                evidenceStyles: styles["revenue-decline"]!),
            .ru: RuleText(
                title: "Выручка падает", advice: "Выясните, почему упали заказы.",
                evidenceStyles: styles["revenue-decline"]!),
        ],
        "single-contact": [
            .en: RuleText(
                title: "Relationship hangs on one person", advice: "Introduce a second contact.",
                evidenceStyles: styles["single-contact"]!),
            .ru: RuleText(
                title: "Отношения держатся на одном человеке", advice: "Познакомьтесь ещё с кем-нибудь.",
                evidenceStyles: styles["single-contact"]!),
        ],
        "discount-creep": [
            .en: RuleText(
                title: "Discounts are creeping up", advice: "Review the price agreement.",
                evidenceStyles: styles["discount-creep"]!),
            .ru: RuleText(
                title: "Скидки растут", advice: "Пересмотрите ценовое соглашение.",
                evidenceStyles: styles["discount-creep"]!),
        ],
        "cost-over-margin": [
            .en: RuleText(
                title: "Costs more to serve than it earns", advice: "Cut the cost to serve.",
                evidenceStyles: styles["cost-over-margin"]!),
            .ru: RuleText(
                title: "Обслуживание дороже маржи", advice: "Сократите затраты на обслуживание.",
                evidenceStyles: styles["cost-over-margin"]!),
        ],
        "contact-turnover": [
            .en: RuleText(
                title: "Our contacts are leaving", advice: "Meet the successors.",
                evidenceStyles: styles["contact-turnover"]!),
            .ru: RuleText(
                title: "Уходят наши контакты", advice: "Познакомьтесь с преемниками.",
                evidenceStyles: styles["contact-turnover"]!),
        ],
        "merger-exposure": [
            .en: RuleText(
                title: "Ownership is changing", advice: "Meet the new owner early.",
                evidenceStyles: styles["merger-exposure"]!),
            .ru: RuleText(
                title: "Меняется владелец", advice: "Встретьтесь с новым владельцем.",
                evidenceStyles: styles["merger-exposure"]!),
        ],
    ])

    static func ev(_ pairs: KeyValuePairs<String, Double>) -> Evidence {
        var evidence = Evidence()
        for (key, value) in pairs { evidence.append(key, .number(value)) }
        return evidence
    }

    /// A log row as the daemon records it.
    static func record(
        seq: Int64, time: Date, state: TransitionState, rule: String, accountID: String, accountName: String,
        severity: Severity, previousSeverity: Severity? = nil, owner: String? = nil, lead: String? = nil,
        message: String = "", ru: String? = nil, evidence: Evidence = [:], revenueAtStake: Double? = nil
    ) -> TransitionRecord {
        // Recorded by a daemon running in English: `message` is English, `messages` has both.
        TransitionRecord(
            seq: seq, time: time, state: state,
            alert: Alert(
                rule: rule, accountID: accountID, accountName: accountName, severity: severity, message: message,
                evidence: evidence, owner: owner, lead: lead, revenueAtStake: revenueAtStake,
                messages: message.isEmpty ? nil : LocalizedText(en: message, ru: ru ?? message)),
            previousSeverity: previousSeverity)
    }

    /// An open alert as the daemon keeps it.
    static func open(
        rule: String, accountID: String, accountName: String, severity: Severity, since: Date, owner: String?,
        lead: String?, message: String, evidence: Evidence, revenueAtStake: Double?
    ) -> OpenAlert {
        OpenAlert(
            Alert(
                rule: rule, accountID: accountID, accountName: accountName, severity: severity, message: message,
                evidence: evidence, owner: owner, lead: lead, revenueAtStake: revenueAtStake),
            since: since)
    }

    /// Anna's previous digest (2026-11-19) covered seq 1…4.
    static let annaPrevious = previous("2026-11-19", lead: anna, uptoSeq: 4)

    /// A digest recorded as written.
    static func previous(_ date: String, lead: LeadAddress, uptoSeq: Int64) -> DigestRecord {
        DigestRecord(date: date, lead: lead.value, uptoSeq: uptoSeq, writtenAt: at("\(date) 07:00"))
    }

    static let transitions: [TransitionRecord] = [
        record(
            seq: 1, time: at("2026-11-10 09:00"), state: .firing, rule: "single-contact", accountID: "A-001",
            accountName: "Northwind Trading", severity: .warning, owner: "ivan@example.com",
            lead: "anna.lead@example.com", message: "Only one active contact.", ru: "Активный контакт только один.",
            evidence: ev(["n": 1]),
            revenueAtStake: 1_250_000),
        record(
            seq: 2, time: at("2026-11-15 11:00"), state: .firing, rule: "cost-over-margin", accountID: "A-002",
            accountName: "Baltic Steel", severity: .critical, owner: "olga@example.com",
            lead: "Anna.Lead@example.com", message: "Cost 515,000.5 exceeds margin 420,000.",
            ru: "Затраты 515 000,5 превышают маржу 420 000.",
            evidence: ev(["margin": 420_000, "cost": 515_000.5]), revenueAtStake: 830_000),
        record(
            seq: 3, time: at("2026-11-17 08:15"), state: .firing, rule: "discount-creep", accountID: "A-003",
            accountName: "Volga Foods", severity: .warning, owner: "ivan@example.com",
            lead: "anna.lead@example.com", message: "Discount up 6.1 points.", ru: "Скидка выросла на 6,1 п. п.",
            evidence: ev(["recent_discount": 14.2, "baseline_discount": 8.1, "creep": 6.1]),
            revenueAtStake: 2_100_000),
        record(
            seq: 4, time: at("2026-11-18 10:00"), state: .firing, rule: "contact-turnover", accountID: "A-004",
            accountName: "Delta Pharma", severity: .warning, owner: nil, lead: "anna.lead@example.com",
            message: "2 of 4 contacts left.", ru: "Ушли 2 из 4 контактов.",
            evidence: ev(["base": 4, "left": 2, "ratio": 0.5]),
            revenueAtStake: 400_000),
        record(
            seq: 5, time: at("2026-11-19 10:00"), state: .firing, rule: "merger-exposure", accountID: "A-005",
            accountName: "Ural Chemicals", severity: .critical, owner: "olga@example.com",
            lead: "anna.lead@example.com", message: "Acquisition on 2026-10-02; share 7.2%.",
            ru: "Приобретение 02.10.2026; доля 7,2 %.",
            evidence: ["event": .text("acquisition"), "share": .number(0.072)], revenueAtStake: 3_400_000),
        record(
            seq: 6, time: at("2026-11-19 12:00"), state: .firing, rule: "discount-creep", accountID: "A-003",
            accountName: "Volga Foods", severity: .critical, previousSeverity: .warning, owner: "ivan@example.com",
            lead: "anna.lead@example.com", message: "Discount up 10.4 points.", ru: "Скидка выросла на 10,4 п. п.",
            evidence: ev(["recent_discount": 18.5, "baseline_discount": 8.1, "creep": 10.4]),
            revenueAtStake: 2_100_000),
        record(
            seq: 7, time: at("2026-11-20 06:00"), state: .resolved, rule: "contact-turnover", accountID: "A-004",
            accountName: "Delta Pharma", severity: .warning, previousSeverity: .warning, owner: nil,
            lead: "anna.lead@example.com", message: "2 of 4 contacts left.", ru: "Ушли 2 из 4 контактов.",
            evidence: ev(["base": 4, "left": 2, "ratio": 0.5]), revenueAtStake: 400_000),
        record(
            seq: 8, time: at("2026-11-20 06:30"), state: .firing, rule: "single-contact", accountID: "A-006",
            accountName: "Кама Логистик", severity: .critical, owner: "ivan@example.com",
            lead: "anna.lead@example.com", message: "No active contact.", ru: "Активных контактов нет.",
            evidence: ev(["n": 0]),
            revenueAtStake: 500_000),
        record(
            seq: 9, time: at("2026-11-20 06:40"), state: .firing, rule: "single-contact", accountID: "B-001",
            accountName: "Orion Retail", severity: .warning, owner: "petr@example.com", lead: "boris@example.com",
            message: "Only one active contact.", ru: "Активный контакт только один.", evidence: ev(["n": 1]),
            revenueAtStake: 90_000),
        record(
            seq: 10, time: at("2026-11-20 06:45"), state: .firing, rule: "single-contact", accountID: "C-001",
            accountName: "Nobody's Client", severity: .warning, owner: nil, lead: nil,
            message: "Only one active contact.", ru: "Активный контакт только один.", evidence: ev(["n": 1]),
            revenueAtStake: nil),
        // A second signal of Baltic Steel: the digest shows the account once, both signals under it.
        record(
            seq: 11, time: at("2026-11-20 06:50"), state: .firing, rule: "revenue-decline", accountID: "A-002",
            accountName: "Baltic Steel", severity: .warning, owner: "olga@example.com",
            lead: "anna.lead@example.com", message: "Revenue of the last 90 days is 45% of a year ago.",
            ru: "Выручка за 90 дней составила 45 % от прошлогодней.", evidence: ev(["ratio": 0.45]),
            revenueAtStake: 830_000),
        // The next day: outside the 2026-11-20 digest.
        record(
            seq: 12, time: at("2026-11-21 00:10"), state: .resolved, rule: "single-contact", accountID: "A-001",
            accountName: "Northwind Trading", severity: .warning, previousSeverity: .warning,
            owner: "ivan@example.com", lead: "anna.lead@example.com", message: "Only one active contact.",
            ru: "Активный контакт только один.",
            evidence: ev(["n": 1]), revenueAtStake: 1_250_000),
    ]

    static func planner(language: Language = .en, allClear: Bool = false) -> DigestPlanner {
        DigestPlanner(fallback: fallback, timeZone: zone, language: language, ruleTexts: ruleTexts, allClear: allClear)
    }

    /// Anna's digest of 2026-11-20.
    static func annaInput(language: Language) -> DigestInput {
        let plan = planner(language: language).plan(
            date: date, transitions: transitions, previous: [anna: annaPrevious])
        return plan.digests.first { $0.lead == anna.value }!
    }
}
