import Foundation
import KamwatchData

/// What a digest run needs from the state: the log, and which digests were written.
public protocol DigestState {
    /// Every transition recorded before `end`, in seq order.
    func transitions(before end: Date) throws -> [DigestTransition]
    /// The alerts that hold now, with their latest evidence.
    func openAlerts() throws -> [DigestOpenAlert]
    /// The last digest written for `lead`, if any.
    func previousDigest(lead: LeadAddress) throws -> PreviousDigest?
    /// Whether the digest of (`date`, `lead`) was already written.
    func digestExists(date: Day, lead: LeadAddress) throws -> Bool
    /// Remembers that the digest of (`date`, `lead`) was written, covering the log up to `uptoSeq`.
    func recordDigest(date: Day, lead: LeadAddress, uptoSeq: Int64) throws
}
