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

    /// Number of items in a section.
    public func count(_ bucket: DigestBucket) -> Int {
        items.reduce(0) { $0 + ($1.bucket == bucket ? 1 : 0) }
    }

    /// True when there is nothing to report.
    public var isAllClear: Bool { items.isEmpty }
}
