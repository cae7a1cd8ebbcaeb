import Foundation
import KamwatchData
import KamwatchVocabulary

/// What the metrics file shows after an evaluation.
public struct MetricsSnapshot: Sendable {
    /// Open alerts by rule and severity; every rule of the set appears, with zeros.
    public var openAlerts: [String: [Severity: Int]] = [:]
    /// Transitions recorded so far, by state (`firing`, `resolved`), over the state's whole log.
    public var transitions: [String: Int] = [:]
    /// Each table's last read.
    public var tables: [TableName: TableFacts] = [:]
    /// Input problems that hold, by check.
    public var inputProblems: [String: Int] = [:]
    public var evaluationSeconds: Double = 0
    public var lastEvaluation: Date?
    /// When the file is written: the newest files' ages are measured from it.
    public var now = Date()

    public init() {}
}

/// The Prometheus text exposition format (version 0.0.4) of a `MetricsSnapshot`.
///
/// Written by hand rather than with swift-prometheus (2.4.1, in the package mirror): that is a
/// registry of long-lived, lock-guarded metric objects (and brings swift-metrics and
/// swift-atomics) for a process that serves its metrics. Here the file is a snapshot rendered
/// once per evaluation from values the daemon already holds: with a registry, every rule,
/// severity and table series would have to be kept in step by hand (a removed rule's series
/// unregistered, gauges reset), and a counter cannot start from the state's own count of
/// transitions. The format is a few lines; `promtool check metrics` checks it in `make test`.
public enum MetricsText {
    public static func render(_ s: MetricsSnapshot) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(number(sample.value))\n" }
        }
        let tables = s.tables.sorted { $0.key.rawValue < $1.key.rawValue }
        family(
            "kamwatch_open_alerts", "gauge", "Alerts open now, by rule and severity.",
            s.openAlerts.sorted { $0.key < $1.key }.flatMap { rule, counts in
                [Severity.critical, .warning].map {
                    (labels(["rule": rule, "severity": $0.rawValue]), Double(counts[$0] ?? 0))
                }
            })
        family(
            "kamwatch_transitions_total", "counter", "Alert transitions recorded in the state, by state.",
            ["firing", "resolved"].map { (labels(["state": $0]), Double(s.transitions[$0] ?? 0)) })
        family(
            "kamwatch_table_rows", "gauge", "Rows kept from each table's last read.",
            tables.map { (labels(["table": $0.key.rawValue]), Double($0.value.goodRows)) })
        family(
            "kamwatch_table_bad_rows", "gauge", "Rows skipped as bad in each table's last read.",
            tables.map { (labels(["table": $0.key.rawValue]), Double($0.value.badRows)) })
        family(
            "kamwatch_table_newest_file_age_seconds", "gauge", "Age of each table's most recently modified file.",
            tables.compactMap { t in
                t.value.newestModified.map {
                    (labels(["table": t.key.rawValue]), max(0, s.now.timeIntervalSince($0)))
                }
            })
        family(
            "kamwatch_input_problems", "gauge", "Input health problems that hold, by check.",
            [InputHealth.badRows, InputHealth.lostColumn, InputHealth.staleTable].map {
                (labels(["check": $0]), Double(s.inputProblems[$0] ?? 0))
            })
        family(
            "kamwatch_evaluation_duration_seconds", "gauge", "How long the last evaluation took.",
            [("", s.evaluationSeconds)])
        family(
            "kamwatch_last_evaluation_timestamp_seconds", "gauge", "When the last evaluation ran (Unix time).",
            [("", s.lastEvaluation?.timeIntervalSince1970 ?? 0)])
        return out
    }

    /// `{a="1",b="2"}`, values escaped as the format asks (backslash, quote, newline).
    static func labels(_ pairs: KeyValuePairs<String, String>) -> String {
        "{"
            + pairs.map { name, value in
                // Scalar by scalar: a search by characters misses a quote or line break
                // followed by a combining mark.
                var escaped = ""
                for scalar in value.unicodeScalars {
                    switch scalar {
                    case "\\": escaped += "\\\\"
                    case "\"": escaped += "\\\""
                    case "\n": escaped += "\\n"
                    default: escaped.unicodeScalars.append(scalar)
                    }
                }
                return "\(name)=\"\(escaped)\""
            }.joined(separator: ",") + "}"
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
