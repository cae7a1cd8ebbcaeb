/// Where entries go when no journald answers: lines on stderr with a `<N>` priority prefix.
///
/// systemd reads such a prefix on a service's stdout/stderr (`SyslogLevelPrefix=`, on by default),
/// so even the fallback lands in the journal with the right priority when run as a unit.
public struct JournalFallback: Sendable {
    private let write: @Sendable ([UInt8]) -> Void

    /// A fallback that hands the formatted bytes to `write` (tests capture them).
    public init(write: @escaping @Sendable ([UInt8]) -> Void) {
        self.write = write
    }

    /// Writes `entry` as formatted by ``format(_:)``.
    public func emit(_ entry: JournalEntry) {
        write(Self.format(entry))
    }

    /// One `<N>` line per line of the message; kamwatch's own fields follow on the last line as `NAME=value`.
    ///
    /// The fields are the ones an operator reading stderr needs to tell alerts apart; multi-line
    /// values are shown with `\n` so that every output line keeps its priority prefix.
    public static func format(_ entry: JournalEntry) -> [UInt8] {
        let prefix = "<\(entry.priority.rawValue)>"
        var lines = entry.message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" && lines.count > 1 { lines.removeLast() }
        if !entry.fields.isEmpty {
            let shown = entry.fields.map { "\($0.name.rawValue)=\(escaped($0.stringValue))" }
            lines[lines.count - 1] += " " + shown.joined(separator: " ")
        }
        return Array(lines.map { prefix + $0 + "\n" }.joined().utf8)
    }

    private static func escaped(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }
}
