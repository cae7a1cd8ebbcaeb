import Foundation
import KamwatchVocabulary
import Yams

extension DaemonConfig {
    /// Reads the config file at `path`; every problem is a `InputIssue` at its line and column.
    public static func load(path: String) throws(InputIssue) -> DaemonConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            let e = access(path, R_OK) == 0 ? EIO : errno
            throw InputIssue(file: path, reason: "cannot read the config file: \(String(cString: strerror(e)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputIssue(file: path, reason: "the config file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// The config at `path` when given; otherwise `/etc/kamwatch/kamwatch.yaml` when it exists,
    /// else the defaults.
    public static func load(path: String?) throws(InputIssue) -> DaemonConfig {
        if let path { return try load(path: path) }
        if FileManager.default.fileExists(atPath: defaultPath) { return try load(path: defaultPath) }
        return DaemonConfig()
    }

    /// Parses config text; `file` names it in errors. Unknown keys are errors.
    public static func parse(_ text: String, file: String) throws(InputIssue) -> DaemonConfig {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw yamlError(error, file: file)
        }
        var config = DaemonConfig()
        guard let root else { return config }  // an empty file: all defaults
        let reader = ConfigReader(file: file)
        let top = try reader.mapping(root, what: "the config file")
        for (key, value) in top {
            switch key.string {
            case "data_dir": config.dataDir = try reader.path(value, key: key)
            case "rules_dir": config.rulesDir = try reader.path(value, key: key)
            case "sources": config.sources = try reader.path(value, key: key)
            case "state_dir": config.stateDir = try reader.path(value, key: key)
            case "outbox_dir": config.outboxDir = try reader.path(value, key: key)
            case "timezone": config.timezone = try reader.timezone(value, key: key)
            case "locale": config.locale = try reader.locale(value, key: key)
            case "quiet_period": config.quietPeriod = try reader.duration(value, key: key)
            case "digest":
                for (dkey, dvalue) in try reader.mapping(value, what: "'digest'") {
                    switch dkey.string {
                    case "from": config.digest.from = try reader.address(dvalue, key: dkey)
                    case "fallback": config.digest.fallback = try reader.address(dvalue, key: dkey)
                    case "all_clear": config.digest.allClear = try reader.bool(dvalue, key: dkey)
                    case "deliver": config.digest.deliver = try reader.deliveryMode(dvalue, key: dkey)
                    case "sendmail": config.digest.sendmail = try reader.command(dvalue, key: dkey)
                    default:
                        throw reader.unknownKey(
                            dkey, known: ["from", "fallback", "all_clear", "deliver", "sendmail"], in: "digest")
                    }
                }
            case "health":
                for (hkey, hvalue) in try reader.mapping(value, what: "'health'") {
                    switch hkey.string {
                    case "stale_after": config.health.staleAfter = try reader.duration(hvalue, key: hkey)
                    case "bad_rows": config.health.badRows = try reader.percentage(hvalue, key: hkey)
                    default: throw reader.unknownKey(hkey, known: ["stale_after", "bad_rows"], in: "health")
                    }
                }
            case "metrics_file": config.metricsFile = try reader.path(value, key: key)
            default:
                throw reader.unknownKey(
                    key,
                    known: [
                        "data_dir", "rules_dir", "state_dir", "outbox_dir", "timezone", "locale", "quiet_period",
                        "digest", "sources", "health", "metrics_file",
                    ])
            }
        }
        return config
    }

    static func yamlError(_ error: any Error, file: String) -> InputIssue {
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return InputIssue(
                file: file, line: mark.line, column: String(mark.column), reason: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputIssue(
                file: file, line: context.mark.line, column: String(context.mark.column),
                reason: "duplicate key '\(duplicates.joined(separator: "', '"))'")
        default:
            return InputIssue(file: file, reason: "invalid YAML: \(error)")
        }
    }
}
