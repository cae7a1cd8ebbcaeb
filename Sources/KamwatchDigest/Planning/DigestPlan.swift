import KamwatchData
import KamwatchVocabulary

/// What one digest run would write: a digest per recipient, and the log position it covers.
public struct DigestPlan: Sendable, Hashable {
    public var date: Day
    /// Highest transition seq the digests cover (recorded so the next digest starts after it).
    public var uptoSeq: Int64
    /// One digest per recipient, ordered by address; includes all-clear digests when enabled.
    public var digests: [DigestInput]
    /// Lead values that are not plain addresses; their accounts went to the fallback.
    public var rejectedLeads: [String]

    public init(date: Day, uptoSeq: Int64, digests: [DigestInput], rejectedLeads: [String]) {
        self.date = date
        self.uptoSeq = uptoSeq
        self.digests = digests
        self.rejectedLeads = rejectedLeads
    }
}
