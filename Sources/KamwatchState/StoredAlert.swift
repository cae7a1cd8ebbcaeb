import KamwatchVocabulary

/// An alert's column values as the state stores them (the same in `transitions` and
/// `open_alerts`), its JSON columns made once, bound by position in `columns`' order.
struct StoredAlert {
    /// The alert's columns, in the order `bind(_:from:)` binds them.
    static let columns = """
        rule, account_id, account_name, severity, message, messages, evidence, owner, lead, revenue_at_stake, message_id
        """
    let alert: Alert
    let messages: String?
    let evidence: String

    init(_ alert: Alert) {
        self.alert = alert
        messages = alert.messages.map(StoredJSON.localized)
        evidence = StoredJSON.evidence(alert.evidence)
    }

    /// Binds the values to parameters `first`, `first + 1`, … in `columns`' order.
    func bind(_ s: inout BulkInsert, from first: Int32) {
        let a = alert
        s.bind(first, a.rule)
        s.bind(first + 1, a.accountID)
        s.bind(first + 2, a.accountName)
        s.bind(first + 3, a.severity.rawValue)
        s.bind(first + 4, a.message)
        s.bind(first + 5, messages)
        s.bind(first + 6, evidence)
        s.bind(first + 7, a.owner)
        s.bind(first + 8, a.lead)
        s.bind(first + 9, a.revenueAtStake)
        s.bind(first + 10, a.messageID)
    }
}
