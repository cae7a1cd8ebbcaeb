import KamwatchData
import KamwatchVocabulary

/// Everything one lead's digest shows: who, which day, and the items in their sections.
public struct DigestInput: Sendable, Hashable {
    /// The recipient address (a lead, or the fallback address).
    public var lead: String
    public var date: Day
    /// Day of the previous digest this lead received, if any.
    public var previousDate: Day?
    public var items: [DigestItem]
    /// Transitions since the previous digest recorded under a silence: only counted.
    public var silenced: Int

    public init(lead: String, date: Day, previousDate: Day? = nil, items: [DigestItem], silenced: Int = 0) {
        self.silenced = silenced
        self.lead = lead
        self.date = date
        self.previousDate = previousDate
        self.items = items
    }

    /// The items of one section, in digest order.
    public func items(in bucket: DigestBucket) -> [DigestItem] {
        items.filter { $0.bucket == bucket }.sorted(by: DigestItem.precedes)
    }

    /// The items grouped by account, one group per account: the accounts with an open critical
    /// signal first, then by revenue at stake and name; each account's signals in
    /// `DigestItem.signalPrecedes` order.
    public var accounts: [[DigestItem]] {
        var groups: [String: [DigestItem]] = [:]
        for item in items { groups[item.accountID, default: []].append(item) }
        func key(_ g: [DigestItem]) -> (rank: Int, stake: Double, name: String, id: String) {
            (
                g.map(\.rank).max() ?? 0, g.compactMap(\.revenueAtStake).max() ?? -.infinity, g[0].accountName,
                g[0].accountID
            )
        }
        return groups.values.map { $0.sorted(by: DigestItem.signalPrecedes) }.sorted { a, b in
            let (ka, kb) = (key(a), key(b))
            if ka.rank != kb.rank { return ka.rank > kb.rank }
            if ka.stake != kb.stake { return ka.stake > kb.stake }
            if ka.name != kb.name { return ka.name < kb.name }
            return ka.id < kb.id
        }
    }

    /// Number of items in a section.
    public func count(_ bucket: DigestBucket) -> Int {
        items.reduce(0) { $0 + ($1.bucket == bucket ? 1 : 0) }
    }

    /// True when there is nothing to report.
    public var isAllClear: Bool { items.isEmpty }
}
