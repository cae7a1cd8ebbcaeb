import Foundation
import KamwatchRules
import KamwatchVocabulary

/// The daemon's settings: the config file's keys, each with the default that `deploy/` ships.
public struct DaemonConfig: Sendable, Equatable {
    /// Where the config file is looked for when `--config` is not given.
    public static let defaultPath = "/etc/kamwatch/kamwatch.yaml"

    /// The watched data directory (read only).
    public var dataDir = "/srv/kamwatch/data"
    /// The rules directory; `nil` means the rules shipped with the program.
    public var rulesDir: String?
    /// A sources file mapping the CRM's exports onto the tables (SPEC §6); `nil` reads
    /// the data directory as SPEC §1 says.
    public var sources: String?
    /// Where the state database lives.
    public var stateDir = "/var/lib/kamwatch"
    /// Where alert files (`alerts/`) and digests (`digests/`) are written.
    public var outboxDir = "/var/spool/kamwatch/outbox"
    /// IANA name of the zone that decides "today" and when the date rolls over.
    public var timezone = "Europe/Moscow"
    /// Language of messages and digests.
    public var locale: Language = .ru
    /// How long the data directory must stay quiet before a burst of writes is evaluated.
    public var quietPeriod: Duration = .seconds(2)
    /// Settings of the daily digest.
    public var digest = DigestSettings()
    /// Limits of the input health checks.
    public var health = HealthSettings()
    /// Where the Prometheus text file is written after each evaluation; `nil` for none.
    public var metricsFile: String?

    public init() {}

    /// The configured zone (validated when the config was read).
    public var timeZone: TimeZone { TimeZone(identifier: timezone) ?? TimeZone(secondsFromGMT: 0)! }
}

/// The `digest:` section of the config.
public struct DigestSettings: Sendable, Equatable {
    /// The digests' `From:` address.
    public var from = "kamwatch@example.com"
    /// Receives the accounts that have no lead.
    public var fallback = "sales-ops@example.com"
    /// Whether a lead with nothing to report still gets a digest ("all clear").
    public var allClear = false
    /// What happens to a digest once its file is written.
    public var deliver: DigestDeliveryMode = .files
    /// The command each digest is piped to with `deliver: sendmail` (program and arguments).
    public var sendmail = ["/usr/sbin/sendmail", "-t", "-oi"]

    public init() {}
}

/// `digest.deliver`: keep the digests as files, or also hand each one to `digest.sendmail`.
public enum DigestDeliveryMode: String, Sendable, Equatable, CaseIterable {
    /// Files in the outbox only; something else takes them away.
    case files
    /// Each digest written is piped to the sendmail command, once.
    case sendmail
}

/// The `health:` section of the config: when an input counts as unhealthy.
public struct HealthSettings: Sendable, Equatable {
    /// A table whose newest file is older than this is stale.
    public var staleAfter: Duration = .seconds(2 * 86_400)
    /// A table with a larger share of bad rows than this (0.01 = 1%) is reported.
    public var badRows = 0.01

    public init() {}
}
