import KamwatchVocabulary

/// A position in a rule file: 1-based line and column (columns count Unicode scalars).
public struct RuleLocation: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A problem in a rule file, pointing at the offending text.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: RuleLocation
    public var message: String
    /// The offending source line, shown under the message (without its newline).
    public var sourceLine: String?
    /// How many scalars the caret mark spans (at least 1).
    public var length: Int

    public init(location: RuleLocation, message: String, sourceLine: String? = nil, length: Int = 1) {
        self.location = location
        self.message = message
        self.sourceLine = sourceLine
        self.length = max(1, length)
    }

    /// `file:line:column: message`, then the source line and a caret under the offending token.
    public var description: String {
        // Line 0 means the whole file (or directory) is at fault.
        if location.line == 0 { return "\(location.file): \(message)" }
        var out = "\(location.file):\(location.line):\(location.column): \(message)"
        guard let sourceLine else { return out }
        // A long line is shown around the column only: a generated line can be megabytes.
        // Control characters are shown as their visible symbols (a NUL as ␀): the text goes to
        // terminals and the journal.
        var scalars = sourceLine.unicodeScalars.map { s -> Unicode.Scalar in
            if s.value < 0x20 && s != "\t" { return Unicode.Scalar(0x2400 + s.value)! }
            return s.value == 0x7F ? "\u{2421}" : s
        }
        var column = location.column
        if scalars.count > Self.shownWidth {
            let from = max(0, min(column - 1 - Self.shownWidth / 2, scalars.count - Self.shownWidth))
            let to = min(scalars.count, from + Self.shownWidth)
            let head: [Unicode.Scalar] = from > 0 ? ["…"] : []
            let tail: [Unicode.Scalar] = to < scalars.count ? ["…"] : []
            column = column - from + head.count
            scalars = head + scalars[from..<to] + tail
        }
        out += "\n" + String(String.UnicodeScalarView(scalars)) + "\n"
        // Keep tabs from the source so the caret lines up in a terminal.
        var pad = ""
        for (i, s) in scalars.enumerated() where i < column - 1 {
            pad.unicodeScalars.append(s == "\t" ? "\t" : " ")
        }
        let span = max(1, min(length, scalars.count - (column - 1)))
        out += pad + "^" + String(repeating: "~", count: span - 1)
        return out
    }

    /// How many characters of a source line an error shows at most.
    static let shownWidth = 120
}

/// All errors found in one or more rule files.
public struct RuleErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [RuleError]

    public init(_ errors: [RuleError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
