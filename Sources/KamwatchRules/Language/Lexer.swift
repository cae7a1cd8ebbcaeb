import KamwatchData
import KamwatchVocabulary

/// An error at a scalar range of an expression's text.
struct ExpressionError: Error, Sendable {
    var message: String
    var range: Range<Int>
}

/// Splits an expression's text into tokens.
struct Lexer {
    private let s: [Unicode.Scalar]
    private var i = 0

    init(_ text: String) { s = Array(text.unicodeScalars) }

    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        var lexer = Lexer(text)
        var out: [Token] = []
        while true {
            let t = try lexer.next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

    private static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    private static func isIdent(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return isIdentStart(c) || isDigit(c)
    }

    mutating func next() throws(ExpressionError) -> Token {
        while let c = peek(), c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1 }
        let start = i
        guard let c = peek() else { return Token(kind: .end, range: i..<i) }
        if Lexer.isDigit(c) { return try number(start) }
        if Lexer.isIdentStart(c) {
            while Lexer.isIdent(peek()) { i += 1 }
            let word = String(String.UnicodeScalarView(s[start..<i]))
            return Token(kind: .identifier(word), range: start..<i)
        }
        if c == "\"" || c == "'" { return try string(start, quote: c) }
        if c == "`" {
            let token = try string(start, quote: c)
            guard case .string(let name) = token.kind, !name.isEmpty else {
                throw ExpressionError(message: "empty header name", range: token.range)
            }
            return Token(kind: .header(name), range: token.range)
        }
        for sym in ["==", "!=", "<=", ">="]
        where peek() == sym.unicodeScalars.first && peek(1) == sym.unicodeScalars.last {
            i += 2
            return Token(kind: .symbol(sym), range: start..<i)
        }
        if "+-*/()[],.<>=".unicodeScalars.contains(c) {
            i += 1
            // A lone `=` is almost always meant as `==`.
            if c == "=" {
                throw ExpressionError(message: "unexpected \"=\" (write \"==\" to compare)", range: start..<i)
            }
            return Token(kind: .symbol(String(c)), range: start..<i)
        }
        i += 1
        throw ExpressionError(message: "unexpected character \"\(c)\"", range: start..<i)
    }

    private mutating func number(_ start: Int) throws(ExpressionError) -> Token {
        // A date literal: exactly YYYY-MM-DD.
        if (0..<4).allSatisfy({ Lexer.isDigit(peek($0)) }), peek(4) == "-", Lexer.isDigit(peek(5)),
            Lexer.isDigit(peek(6)),
            peek(7) == "-", Lexer.isDigit(peek(8)), Lexer.isDigit(peek(9)), !Lexer.isIdent(peek(10))
        {
            let text = String(String.UnicodeScalarView(s[i..<i + 10]))
            i += 10
            guard let day = Day(iso: text) else {
                throw ExpressionError(message: "no such date \"\(text)\"", range: start..<i)
            }
            return Token(kind: .date(day), range: start..<i)
        }
        while Lexer.isDigit(peek()) || peek() == "_" { i += 1 }
        if peek() == ".", Lexer.isDigit(peek(1)) {
            i += 1
            while Lexer.isDigit(peek()) { i += 1 }
        }
        let digits = String(String.UnicodeScalarView(s[start..<i].filter { $0 != "_" }))
        if let unit = peek(), Lexer.isIdentStart(unit) {
            let unitStart = i
            while Lexer.isIdent(peek()) { i += 1 }
            let word = String(String.UnicodeScalarView(s[unitStart..<i]))
            guard let n = Int(digits) else {
                throw ExpressionError(message: "a duration is a whole number of days, e.g. 90d", range: start..<i)
            }
            switch word {
            case "d": return Token(kind: .duration(n), range: start..<i)
            case "w": return Token(kind: .duration(n * 7), range: start..<i)
            default:
                throw ExpressionError(
                    message: "unknown unit \"\(word)\" (durations use d for days or w for weeks)", range: start..<i)
            }
        }
        guard let v = Double(digits) else { throw ExpressionError(message: "bad number", range: start..<i) }
        if v.isInfinite {
            throw ExpressionError(message: "number too large (beyond about 1.8e308)", range: start..<i)
        }
        return Token(kind: .number(v), range: start..<i)
    }

    private mutating func string(_ start: Int, quote: Unicode.Scalar) throws(ExpressionError) -> Token {
        i += 1
        var out = String.UnicodeScalarView()
        while let c = peek() {
            i += 1
            if c == quote { return Token(kind: .string(String(out)), range: start..<i) }
            if c == "\\", let n = peek() {
                i += 1
                switch n {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(n)
                }
                continue
            }
            out.append(c)
        }
        throw ExpressionError(message: "unterminated string", range: start..<i)
    }
}
