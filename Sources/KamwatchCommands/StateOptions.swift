import ArgumentParser
import Foundation
import KamwatchDaemon
import KamwatchState
import KamwatchVocabulary

/// `--config F` / `--state DIR` / `--format`: the options of the commands that read or write the
/// daemon's state (`status`, `silence`). `--state` wins over the config's `state_dir`.
public struct StateOptions: ParsableArguments, Sendable {
    @Option(
        help: ArgumentHelp(
            "The config file; its state_dir and timezone are used (default: /etc/kamwatch/kamwatch.yaml when it exists).",
            valueName: "file"))
    public var config: String?

    @Option(help: ArgumentHelp("The state directory (overrides the config's state_dir).", valueName: "dir"))
    public var state: String?

    @Option(help: "Output format; json prints one object per line.")
    public var format: OutputFormat = .text

    public init() {}

    public init(config: String? = nil, state: String? = nil, format: OutputFormat = .text) {
        self.config = config
        self.state = state
        self.format = format
    }

    /// The config (its defaults when there is none), with `--state` applied.
    func settings(command: String) throws(CommandFailure) -> DaemonConfig {
        var settings: DaemonConfig
        do {
            settings = try DaemonConfig.load(path: config)
        } catch {
            throw CommandFailure("\(error)", command: command, exitCode: 2)
        }
        if let state { settings.stateDir = state }
        return settings
    }

    /// Opens the daemon's existing state database (never creates one): read-only, or for a
    /// short write beside the running daemon (SQLite's WAL lets both write; the daemon's
    /// directory lock is not taken). Any failure is one line and exit status 1.
    static func open(_ settings: DaemonConfig, readOnly: Bool, command: String) throws(CommandFailure) -> StateStore {
        let path = (settings.stateDir as NSString).appendingPathComponent(StateStore.fileName)
        do {
            guard FileManager.default.fileExists(atPath: path) else { throw StateError.missing(path: path) }
            // SQLite writes beside the file too (its -wal and -shm files): both must be writable.
            if !readOnly, access(path, W_OK) != 0 || access(settings.stateDir, W_OK) != 0 {
                throw CommandFailure(
                    "\(path): the state database is read-only here (\(String(cString: strerror(errno)))); "
                        + "run as a user that may write \(settings.stateDir)", command: command, exitCode: 1)
            }
            return try StateStore(path: path, readOnly: readOnly, busyTimeout: 3)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(oneLine(error), command: command, exitCode: 1)
        }
    }

    /// The first line of an error's text; a busy database named as such.
    static func oneLine(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("database is locked") {
            return "the state database is locked by another writer; try again in a moment"
        }
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}
