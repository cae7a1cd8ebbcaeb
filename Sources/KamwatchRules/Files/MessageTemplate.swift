import KamwatchVocabulary

/// How a placeholder prints a number: `{x}`, `{x:.1}`, `{x:,.0}`, `{x:.1%}`.
struct NumberStyle: Sendable, Equatable {
    /// Fixed decimals; `nil` = up to 2, trailing zeros dropped.
    var decimals: Int?
    /// Group thousands (`,` in English, a no-break space in Russian).
    var grouped = false
    /// Multiply by 100 and append `%`.
    var percent = false

    /// Parses a format spec; `nil` when it is not one.
    init?(spec: String) {
        var s = Substring(spec)
        if s.first == "," {
            grouped = true
            s = s.dropFirst()
        }
        if s.last == "%" {
            percent = true
            s = s.dropLast()
        }
        if s.first == "." {
            guard let n = Int(s.dropFirst()), (0...6).contains(n) else { return nil }
            decimals = n
            s = ""
        }
        guard s.isEmpty else { return nil }
    }

    init() {}
}

/// A message with `{placeholder}`s filled from a rule's evidence and definitions.
struct MessageTemplate: Sendable {
    enum Part: Sendable {
        case literal(String)
        /// Index into the rule's message values, and how to print it.
        case value(Int, NumberStyle)
    }

    var parts: [Part]

    /// Parses `text`, resolving names with `resolve`; errors carry scalar ranges of `text`.
    static func parse(_ text: String, resolve: (String) -> Int?) throws(ExpressionError) -> MessageTemplate {
        let s = Array(text.unicodeScalars)
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "}" {
                guard i + 1 < s.count, s[i + 1] == "}" else {
                    throw ExpressionError(message: "unmatched \"}\" (write \"}}\" for a brace)", range: i..<i + 1)
                }
                literal.append("}")
                i += 2
                continue
            }
            guard c == "{" else {
                literal.append(c)
                i += 1
                continue
            }
            if i + 1 < s.count, s[i + 1] == "{" {
                literal.append("{")
                i += 2
                continue
            }
            guard let close = s[i...].firstIndex(of: "}") else {
                throw ExpressionError(message: "unclosed \"{\"", range: i..<i + 1)
            }
            let inside = String(String.UnicodeScalarView(s[(i + 1)..<close]))
            let pieces = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].trimmingSpaces()
            let nameRange = (i + 1)..<(i + 1 + pieces[0].unicodeScalars.count)
            guard let index = resolve(name) else {
                throw ExpressionError(
                    message: "unknown placeholder \"\(name)\" (use an evidence or let name)", range: nameRange)
            }
            var style = NumberStyle()
            if pieces.count == 2 {
                guard let st = NumberStyle(spec: pieces[1].trimmingSpaces()) else {
                    throw ExpressionError(
                        message: "bad number format \"\(pieces[1])\" (expected e.g. .1, ,.0, .1% or %)",
                        range: (nameRange.upperBound + 1)..<close)
                }
                style = st
            }
            if !literal.isEmpty {
                parts.append(.literal(String(literal)))
                literal = String.UnicodeScalarView()
            }
            parts.append(.value(index, style))
            i = close + 1
        }
        if !literal.isEmpty { parts.append(.literal(String(literal))) }
        return MessageTemplate(parts: parts)
    }

    /// The message with `values` filled in.
    func render(_ values: [RuleValue], locale: Language) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .value(let i, let style): out += values[i].formatted(style, locale: locale)
            }
        }
        return out
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
