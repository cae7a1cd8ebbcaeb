import ArgumentParser
import Foundation
import KamwatchDaemon
import KamwatchData
import KamwatchDigest
import KamwatchRules
import KamwatchState
import KamwatchVocabulary

/// `kamwatch digest`: writes each sales lead's daily e-mail into `<outbox>/digests/<date>/`.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Write each sales lead's daily digest e-mail into the outbox.",
        discussion: """
            Reads the daemon's state (read-only; safe while `kamwatch run` is running) and writes one \
            e-mail per lead to <outbox_dir>/digests/<date>/<lead>.eml: alerts new since that lead's \
            previous digest, still open, and resolved. Running it again for the same day writes nothing. \
            Hand the files to a mail transport with `sendmail -t < FILE`.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp("The config file (default: /etc/kamwatch/kamwatch.yaml when it exists).", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp("The digest's day (default: today in the configured time zone).", valueName: "YYYY-MM-DD"))
    var date: String?

    func validate() throws {
        if let date, Day(iso: date) == nil {
            throw ValidationError("--date must be a day written YYYY-MM-DD, not '\(date)'")
        }
    }

    func run() async throws {
        let settings: DaemonConfig
        do {
            settings = try DaemonConfig.load(path: config)
        } catch {
            Self.fail("\(error)")
            throw ExitCode(2)
        }
        let zone = settings.timeZone
        let day = date.flatMap { Day(iso: $0) } ?? Day(Date(), in: zone)
        let language = Language(rawValue: settings.locale.rawValue) ?? .en

        let job: DigestJob
        let state: StateStore
        do {
            let options = try DigestOptions(
                outbox: URL(fileURLWithPath: settings.outboxDir), from: settings.digest.from,
                fallback: settings.digest.fallback, allClear: settings.digest.allClear, timeZone: zone,
                language: language)
            job = DigestJob(
                options: options, ruleTexts: Self.ruleTexts(rulesDir: settings.rulesDir),
                renderer: try DigestRenderer(language: language))
            let path = (settings.stateDir as NSString).appendingPathComponent(StateStore.fileName)
            // A digest needs the daemon's state: never start one from an empty database.
            guard FileManager.default.fileExists(atPath: path) else { throw StateError.missing(path: path) }
            state = try StateStore(path: path)
        } catch {
            Self.fail("\(error)")
            throw ExitCode(error is DigestError ? 2 : 1)
        }

        let report: DigestJob.Report
        do {
            report = try job.run(date: day, now: Date(), state: state)
        } catch {
            Self.fail("\(error)")
            throw ExitCode(1)
        }
        for lead in report.rejectedLeads {
            Self.warn("lead '\(lead)' is not a plain e-mail address; its accounts went to \(job.options.fallback)")
        }
        if report.entries.isEmpty {
            print("nothing to report for \(day): no digest written")
        }
        for entry in report.entries {
            switch entry.outcome {
            case .written: print("wrote \(entry.path): \(entry.subject)")
            case .alreadyExists: print("digest for \(entry.lead) on \(day) already exists: \(entry.path)")
            }
        }
    }

    /// Rule titles and advice from the rule files. A file that does not compile only loses its
    /// title (the digest shows the rule id), so one broken rule cannot stop the morning mail.
    static func ruleTexts(rulesDir: String?) -> RuleTextTable {
        guard let directory = rulesDir ?? RulesDirectory.resolve(),
            let files = try? RuleSet.ruleFiles(in: directory)
        else {
            warn("no rules directory found; the digest shows rule ids instead of titles")
            return RuleTextTable()
        }
        var texts: [String: [Language: RuleText]] = [:]
        for file in files {
            switch RuleSet.loadFile(file) {
            case .success(let rule):
                texts[rule.id] = [
                    .en: RuleText(title: rule.title.en, advice: rule.advice.en.isEmpty ? nil : rule.advice.en),
                    .ru: RuleText(title: rule.title.ru, advice: rule.advice.ru.isEmpty ? nil : rule.advice.ru),
                ]
            case .failure(let errors):
                warn("\(errors); its alerts show the rule id instead of a title")
            }
        }
        return RuleTextTable(texts)
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data("kamwatch digest: \(message)\n".utf8))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("kamwatch digest: warning: \(message)\n".utf8))
    }
}
