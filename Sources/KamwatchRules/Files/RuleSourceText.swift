import KamwatchVocabulary
import Yams

/// The text of one rule file, kept to point errors at its lines and columns.
struct RuleSourceText: Sendable {
    let file: String
    let lines: [[Unicode.Scalar]]

    init(file: String, text: String) {
        self.file = file
        var lines: [[Unicode.Scalar]] = [[]]
        for s in text.unicodeScalars {
            if s == "\n" {
                lines.append([])
            } else if s != "\r" {
                lines[lines.count - 1].append(s)
            }
        }
        self.lines = lines
    }

    /// The first character YAML does not allow in a document (a NUL byte, other control
    /// characters), as an error at its line and column.
    func firstControlCharacter() -> RuleError? {
        for (l, scalars) in lines.enumerated() {
            for (c, s) in scalars.enumerated() where !Self.allowed(s) {
                let hex = String(s.value, radix: 16, uppercase: true)
                let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                let what = s.value == 0 ? "a NUL byte (\(code))" : "the control character \(code)"
                return error("\(what) is not allowed in a rule file", line: l + 1, column: c + 1)
            }
        }
        return nil
    }

    /// YAML's printable characters (carriage returns are already dropped from `lines`).
    private static func allowed(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The line and column of the scalar at byte `offset` of the text's UTF-8.
    func position(ofUTF8Offset offset: Int) -> (line: Int, column: Int) {
        var bytes = 0
        for (l, scalars) in lines.enumerated() {
            for (c, s) in scalars.enumerated() {
                if bytes >= offset { return (l + 1, c + 1) }
                bytes += UTF8.width(s)
            }
            if bytes >= offset { return (l + 1, scalars.count + 1) }
            bytes += 1  // the line feed (a carriage return before it is not counted: rare here)
        }
        return (lines.count, (lines.last?.count ?? 0) + 1)
    }

    /// The position of the first byte of `bytes` that is not UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (line: Int, column: Int)? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let s):
                if s.count == 1 && s.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error: return (line, column)
            case .emptyInput: return nil
            }
        }
    }

    func line(_ n: Int) -> String? {
        guard n >= 1, n <= lines.count else { return nil }
        return String(String.UnicodeScalarView(lines[n - 1]))
    }

    /// An error at a YAML position.
    func error(_ message: String, line: Int, column: Int, length: Int = 1) -> RuleError {
        RuleError(
            location: RuleLocation(file: file, line: line, column: column), message: message,
            sourceLine: self.line(line).flatMap { $0.isEmpty ? nil : $0 }, length: length)
    }

    /// An error at a node (its start).
    func error(_ message: String, at node: Node, length: Int? = nil) -> RuleError {
        let len = length ?? node.scalar.map { rawLength(of: $0) } ?? 1
        return error(message, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, length: len)
    }

    /// An error at a scalar range of an expression or template held in a scalar node.
    func error(_ message: String, in node: Node, range: Range<Int>) -> RuleError {
        guard let scalar = node.scalar, let mark = node.mark else { return error(message, at: node) }
        let value = Array(scalar.string.unicodeScalars)
        let start = locate(value: value, mark: mark, offset: range.lowerBound)
        var length = max(1, range.count)
        if range.upperBound > range.lowerBound {
            let end = locate(value: value, mark: mark, offset: range.upperBound - 1)
            if end.line == start.line { length = end.column - start.column + 1 }
        }
        return error(message, line: start.line, column: start.column, length: length)
    }

    /// How many source scalars a single-line scalar spans, quotes included.
    private func rawLength(of scalar: Node.Scalar) -> Int {
        let n = scalar.string.unicodeScalars.count
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: return n + 2
        default: return max(1, n)
        }
    }

    /// Source position of scalar `offset` of a scalar's value, found by walking the source
    /// from the node's start and matching the value's characters in order (this skips quotes,
    /// block indicators, indentation and line folds).
    private func locate(value: [Unicode.Scalar], mark: Mark, offset: Int) -> (line: Int, column: Int) {
        var line = mark.line - 1
        var col = mark.column - 1
        func seek(_ c: Unicode.Scalar) -> Bool {
            var l = line
            var k = col
            while l < lines.count {
                if k < lines[l].count {
                    if lines[l][k] == c {
                        line = l
                        col = k
                        return true
                    }
                    k += 1
                } else {
                    l += 1
                    k = 0
                }
            }
            return false
        }
        for c in value.prefix(offset) where c != "\n" {
            if seek(c) { col += 1 }
        }
        if offset < value.count, value[offset] != "\n" { _ = seek(value[offset]) }
        return (line + 1, col + 1)
    }
}

extension RuleSourceText {
    /// A YAML syntax error at its position.
    func yamlError(_ e: YamlError) -> RuleError {
        switch e {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return error("invalid YAML: \(problem)", line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return error(
                "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", "))", line: context.mark.line,
                column: context.mark.column)
        case .reader(let problem, let offset, _, _):
            let at = offset.map { position(ofUTF8Offset: $0) } ?? (line: 1, column: 1)
            return error("invalid YAML: \(problem)", line: at.line, column: at.column)
        default:
            return error("invalid YAML: \(e)", line: 1, column: 1)
        }
    }
}
