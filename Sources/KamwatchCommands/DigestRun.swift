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
    /// Writing, delivering, or both.
    public var steps: DigestSteps

    public init(config: String? = nil, date: Day? = nil, steps: DigestSteps = .writeAndDeliver) {
        self.config = config
        self.date = date
        self.steps = steps
    }

    /// Writes the digests and says what it wrote, then (with `deliver: sendmail`) hands the
    /// queued ones to the mail transport; fails with exit status 2 on a configuration error, 1
    /// when the state cannot be read, a file cannot be written or a digest was not delivered.
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
                language: language, queueDelivery: settings.digest.deliver == .sendmail)
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
        if steps.writes { try write(job: job, day: day, state: state, output: output, warn: warn) }
        if steps.delivers { try deliver(settings: settings, state: state, output: output) }
    }

    private func write(
        job: DigestJob, day: Day, state: StateStore, output: Output, warn: (String) -> Void
    ) throws(CommandFailure) {

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

extension DigestRun {
    /// Hands the queued digests to `digest.sendmail`, one run at a time (a lock in the state
    /// directory), and reports each; a failure goes to standard error (the unit's journal) and
    /// fails the run, the digest staying queued for the next one.
    func deliver(settings: DaemonConfig, state: StateStore, output: Output) throws(CommandFailure) {
        let pending: Int
        do { pending = try state.pendingDeliveries().count } catch {
            throw CommandFailure("\(error)", command: "digest", exitCode: 1)
        }
        guard settings.digest.deliver == .sendmail else {
            if steps == .deliverOnly || pending > 0 {
                output.out(
                    "digest.deliver is files: nothing is sent"
                        + (pending > 0 ? " (\(pending) digest(s) stay queued)" : "") + "\n")
            }
            return
        }
        let entries: [DigestDeliverer.Entry]
        do {
            let lock = try StateDirectoryLock(stateDir: settings.stateDir, fileName: "deliver.lock", wait: true)
            entries = try withExtendedLifetime(lock) {
                try DigestDeliverer(command: MailCommand(argv: settings.digest.sendmail)).run(state: state)
            }
        } catch {
            throw CommandFailure("\(error)", command: "digest", exitCode: 1)
        }
        if entries.isEmpty, steps == .deliverOnly { output.out("no digest waits for delivery\n") }
        var failed = 0
        for entry in entries {
            switch entry.outcome {
            case .delivered:
                output.out("delivered \(entry.path) to \(entry.lead)\n")
            case .failed(let reason):
                failed += 1
                output.err(
                    Self.errorPriority + "kamwatch digest: not delivered \(entry.path) to \(entry.lead) "
                        + "(attempt \(entry.attempts)): \(reason); retried at the next run\n")
            }
        }
        if failed > 0 {
            throw CommandFailure(
                "\(failed) of \(entries.count) digest(s) not delivered; they stay queued", command: "digest",
                exitCode: 1)
        }
    }

    /// `<3>` (error) before a line to standard error when it goes to the journal (systemd sets
    /// `JOURNAL_STREAM` then), so `journalctl -p err` shows failed deliveries.
    static var errorPriority: String {
        ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { $0.isEmpty ? "" : "<3>" } ?? ""
    }
}
