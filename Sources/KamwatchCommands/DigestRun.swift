import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// `kamwatch digest`: writes each sales lead's daily e-mail into `<outbox>/digests/<date>/`.
public struct DigestRun: Sendable {
    /// The config file; `nil` for /etc/kamwatch/kamwatch.yaml when it exists.
    public var config: String?
    /// The digest's day; `nil` for today in the configured time zone.
    public var date: Day?

    public init(config: String? = nil, date: Day? = nil) {
        self.config = config
        self.date = date
    }

    /// Writes the digests and says what it wrote; fails with exit status 2 on a configuration
    /// error, 1 when the state cannot be read or a file cannot be written.
    public func run(output: Output) throws(CommandFailure) {
        let warn = { (message: String) in output.err("kamwatch digest: warning: \(message)\n") }
        let settings: DaemonConfig
        do {
            settings = try DaemonConfig.load(path: config)
        } catch {
            throw CommandFailure("\(error)", command: "digest", exitCode: 2)
        }
        let zone = settings.timeZone
        let day = date ?? Day(Date(), in: zone)
        let language = settings.locale

        let job: DigestJob
        let state: StateStore
        do {
            let options = try DigestOptions(
                outbox: URL(fileURLWithPath: settings.outboxDir), from: settings.digest.from,
                fallback: settings.digest.fallback, allClear: settings.digest.allClear, timeZone: zone,
                language: language)
            job = DigestJob(
                options: options, ruleTexts: Self.ruleTexts(rulesDir: settings.rulesDir, warn: warn),
                renderer: try DigestRenderer(language: language))
            let path = (settings.stateDir as NSString).appendingPathComponent(StateStore.fileName)
            // A digest needs the daemon's state: never start one from an empty database.
            guard FileManager.default.fileExists(atPath: path) else { throw StateError.missing(path: path) }
            state = try StateStore(path: path)
        } catch {
            throw CommandFailure("\(error)", command: "digest", exitCode: error is DigestError ? 2 : 1)
        }

        let report: DigestJob.Report
        do {
            report = try job.run(date: day, now: Date(), state: state)
        } catch {
            throw CommandFailure("\(error)", command: "digest", exitCode: 1)
        }
        for lead in report.rejectedLeads {
            warn("lead '\(lead)' is not a plain e-mail address; its accounts went to \(job.options.fallback)")
        }
        if report.entries.isEmpty {
            output.out("nothing to report for \(day): no digest written\n")
        }
        for entry in report.entries {
            switch entry.outcome {
            case .written: output.out("wrote \(entry.path): \(entry.subject)\n")
            case .alreadyExists: output.out("digest for \(entry.lead) on \(day) already exists: \(entry.path)\n")
            }
        }
    }
}
