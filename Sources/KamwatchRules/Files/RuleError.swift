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
        out += "\n" + sourceLine + "\n"
        // Keep tabs from the source so the caret lines up in a terminal.
        var pad = ""
        for (i, s) in sourceLine.unicodeScalars.enumerated() where i < location.column - 1 {
            pad.unicodeScalars.append(s == "\t" ? "\t" : " ")
        }
        let lineLength = sourceLine.unicodeScalars.count
        let span = max(1, min(length, lineLength - (location.column - 1)))
        out += pad + "^" + String(repeating: "~", count: span - 1)
        return out
    }
}

/// All errors found in one or more rule files.
public struct RuleErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [RuleError]

    public init(_ errors: [RuleError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
