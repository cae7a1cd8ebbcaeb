/// How bad an alert is. Ordered: `warning < critical`.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case warning
    case critical

    public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .critical }
}
