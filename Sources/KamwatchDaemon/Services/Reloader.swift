import Foundation
import KamwatchData
import KamwatchRules
import KamwatchVocabulary
import Logging

/// Loads config and rules again on `SIGHUP`; an invalid new set is refused as a whole.
public struct Reloader: Sendable {
    /// Reads the config as at start-up (file, then command-line overrides).
    public var loadConfig: @Sendable () throws -> DaemonConfig
    /// The config the daemon started with: settings that need a restart are compared with it.
    public var running: DaemonConfig
    public var logger: Logger

    public init(loadConfig: @escaping @Sendable () throws -> DaemonConfig, running: DaemonConfig, logger: Logger) {
        self.loadConfig = loadConfig
        self.running = running
        self.logger = logger
    }

    /// Reloads; returns why the new set was refused, or `nil` when it was taken.
    func reload(evaluator: Evaluator) async -> String? {
        logger.notice("reloading config and rules")
        let config: DaemonConfig
        let rules: RuleSet
        let sources: SourcePlan?
        do {
            // Reading and parsing the files blocks: on the evaluator's thread, off the cooperative pool.
            (config, rules, sources) = try await withTaskExecutorPreference(evaluator.executor) { [loadConfig] in
                let config = try loadConfig()
                let sources = try config.sources.map { try SourcesFile.load(path: $0) }
                // Rules may read the columns of the user's own that the sources file declares.
                let rules = try RuleSet.load(
                    directory: try RulesDirectory.find(config.rulesDir), schema: sources?.schema ?? .standard)
                guard !rules.rules.isEmpty else { throw ReloadError(reason: "no rule files in the rules directory") }
                return (config, rules, sources)
            }
        } catch {
            let reason = "\(error)"
            logger.error("reload refused, the previous config and rules keep running: \(reason)")
            return reason.split(separator: "\n").first.map(String.init) ?? reason
        }
        for (name, old, new) in [
            ("data_dir", running.dataDir, config.dataDir), ("state_dir", running.stateDir, config.stateDir),
            ("outbox_dir", running.outboxDir, config.outboxDir),
            ("quiet_period", DurationText.format(running.quietPeriod), DurationText.format(config.quietPeriod)),
        ] where old != new {
            logger.warning("\(name) changed to \(new); this takes effect at the next restart")
        }
        do {
            try await evaluator.replace(
                rules: rules, locale: config.locale, timeZone: config.timeZone, sources: sources,
                health: config.health, metricsFile: config.metricsFile)
            logger.notice("reloaded: \(rules.rules.count) rules")
        } catch {
            logger.error("evaluation after the reload failed: \(error)")
            await evaluator.noteError("\(error)")
        }
        return nil
    }
}

struct ReloadError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
