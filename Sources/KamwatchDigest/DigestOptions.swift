import Foundation
import KamwatchVocabulary

/// The configuration a digest run needs, as plain values (the command reads the config file).
public struct DigestOptions: Sendable {
    /// The outbox folder; digests go to `<outbox>/digests/<date>/<lead>.eml`.
    public var outbox: URL
    /// `From:` of every digest (`addr@example.com` or `Name <addr@example.com>`).
    public var from: String
    /// Recipient of accounts without a (valid) lead.
    public var fallback: LeadAddress
    /// Send a short "all clear" mail to leads with nothing to report.
    public var allClear: Bool
    public var timeZone: TimeZone
    public var language: Language
    /// Queue each digest written for the mail transport (`deliver: sendmail`).
    public var queueDelivery: Bool

    public init(
        outbox: URL, from: String, fallback: String, allClear: Bool, timeZone: TimeZone, language: Language,
        queueDelivery: Bool = false
    ) throws {
        guard let fallbackAddress = LeadAddress(fallback) else { throw DigestError.badFallback(fallback) }
        self.outbox = outbox
        self.from = from
        self.fallback = fallbackAddress
        self.allClear = allClear
        self.timeZone = timeZone
        self.language = language
        self.queueDelivery = queueDelivery
    }
}
