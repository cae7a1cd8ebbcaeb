import Foundation

/// A digest that was written: for one day and one lead, covering transitions up to `uptoSeq`.
public struct DigestRecord: Sendable, Hashable {
    /// The digest's day, `YYYY-MM-DD`.
    public var date: String
    /// The lead's address (or the fallback address).
    public var lead: String
    /// The highest transition seq the digest covered.
    public var uptoSeq: Int64
    public var writtenAt: Date

    public init(date: String, lead: String, uptoSeq: Int64, writtenAt: Date) {
        self.date = date
        self.lead = lead
        self.uptoSeq = uptoSeq
        self.writtenAt = writtenAt
    }
}
