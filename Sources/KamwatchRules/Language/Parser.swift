import KamwatchData
import KamwatchVocabulary

/// Recursive-descent parser of the expression language.
///
/// Precedence, loosest first: `or`; `and`; `not`; comparisons (`==`, `<`, `in`, `is null`,
/// `contains`, `matches`); `+ -`; `* /`; unary `-`; member access and calls.
struct Parser {
    private var tokens: [Token]
    private var p = 0

    init(tokens: [Token]) { self.tokens = tokens }

    /// Parses a whole expression text.
    static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        if parser.current.kind == .end {
            throw ExpressionError(message: "empty expression", range: 0..<0)
        }
        let e = try parser.expression()
        guard parser.current.kind == .end else {
            throw ExpressionError(
                message: "unexpected \(parser.current.display) after the expression", range: parser.current.range)
        }
        return e
    }

    private var current: Token { tokens[p] }

    private mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    private mutating func expect(_ symbol: String, _ what: String) throws(ExpressionError) -> Token {
        guard current.isSymbol(symbol) else {
            throw ExpressionError(message: "expected \(what), found \(current.display)", range: current.range)
        }
        return advance()
    }

    private mutating func expression() throws(ExpressionError) -> Expression { try or() }

    private mutating func or() throws(ExpressionError) -> Expression {
        var l = try and()
        while current.isWord("or") {
            _ = advance()
            let r = try and()
            l = .binary(.or, l, r, l.range.lowerBound..<r.range.upperBound)
        }
        return l
    }

    private mutating func and() throws(ExpressionError) -> Expression {
        var l = try not()
        while current.isWord("and") {
            _ = advance()
            let r = try not()
            l = .binary(.and, l, r, l.range.lowerBound..<r.range.upperBound)
        }
        return l
    }

    private mutating func not() throws(ExpressionError) -> Expression {
        if current.isWord("not") {
            let t = advance()
            let e = try not()
            return .unary(.not, e, t.range.lowerBound..<e.range.upperBound)
        }
        return try comparison()
    }

    private mutating func comparison() throws(ExpressionError) -> Expression {
        let l = try additive()
        let start = l.range.lowerBound
        if case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s), op.isComparison {
            _ = advance()
            let r = try additive()
            return .binary(op, l, r, start..<r.range.upperBound)
        }
        if current.isWord("contains") || current.isWord("matches") {
            let op: BinaryOperator = current.isWord("contains") ? .contains : .matches
            _ = advance()
            let r = try additive()
            return .binary(op, l, r, start..<r.range.upperBound)
        }
        if current.isWord("is") {
            _ = advance()
            var negated = false
            if current.isWord("not") {
                _ = advance()
                negated = true
            }
            guard current.isWord("null") else {
                throw ExpressionError(
                    message: "expected \"null\" after \"is\", found \(current.display)", range: current.range)
            }
            let end = advance().range.upperBound
            return .isNull(l, negated: negated, start..<end)
        }
        var negated = false
        if current.isWord("not"), tokens[p + 1].isWord("in") {
            _ = advance()
            negated = true
        }
        if current.isWord("in") {
            _ = advance()
            if current.isWord("last") || current.isWord("between") {
                if negated {
                    throw ExpressionError(
                        message: "\"not in\" takes a list; write \"not (x in last …)\"", range: current.range)
                }
                let w = try window()
                return .inWindow(l, w.window, start..<w.end)
            }
            _ = try expect("[", "\"[\" to start a list, \"last\" or \"between\"")
            var items: [Expression] = []
            if !current.isSymbol("]") {
                items.append(try additive())
                while current.isSymbol(",") {
                    _ = advance()
                    items.append(try additive())
                }
            }
            let end = try expect("]", "\",\" or \"]\" in the list").range.upperBound
            return .inList(l, items, negated: negated, start..<end)
        }
        if negated {
            throw ExpressionError(message: "expected \"in\" after \"not\"", range: current.range)
        }
        return l
    }

    private mutating func window() throws(ExpressionError) -> (window: Window, end: Int) {
        if current.isWord("last") {
            _ = advance()
            let n = try additive()
            return (.last(n), n.range.upperBound)
        }
        _ = advance()  // between
        let a = try additive()
        guard current.isWord("and") else {
            throw ExpressionError(
                message: "expected \"and\" in \"between … and …\", found \(current.display)", range: current.range)
        }
        _ = advance()
        let b = try additive()
        return (.between(a, b), b.range.upperBound)
    }

    private mutating func additive() throws(ExpressionError) -> Expression {
        var l = try multiplicative()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op: BinaryOperator = current.isSymbol("+") ? .add : .subtract
            _ = advance()
            let r = try multiplicative()
            l = .binary(op, l, r, l.range.lowerBound..<r.range.upperBound)
        }
        return l
    }

    private mutating func multiplicative() throws(ExpressionError) -> Expression {
        var l = try unary()
        while current.isSymbol("*") || current.isSymbol("/") {
            let op: BinaryOperator = current.isSymbol("*") ? .multiply : .divide
            _ = advance()
            let r = try unary()
            l = .binary(op, l, r, l.range.lowerBound..<r.range.upperBound)
        }
        return l
    }

    private mutating func unary() throws(ExpressionError) -> Expression {
        if current.isSymbol("-") {
            let t = advance()
            let e = try unary()
            return .unary(.negate, e, t.range.lowerBound..<e.range.upperBound)
        }
        return try postfix()
    }

    private mutating func postfix() throws(ExpressionError) -> Expression {
        var e = try primary()
        while current.isSymbol(".") {
            _ = advance()
            guard case .identifier(let member) = current.kind else {
                throw ExpressionError(
                    message: "expected a name after \".\", found \(current.display)", range: current.range)
            }
            let end = advance().range.upperBound
            e = .member(e, member, e.range.lowerBound..<end)
        }
        return e
    }

    private mutating func primary() throws(ExpressionError) -> Expression {
        let t = current
        switch t.kind {
        case .number(let v):
            _ = advance()
            return .number(v, t.range)
        case .duration(let d):
            _ = advance()
            return .duration(d, t.range)
        case .date(let d):
            _ = advance()
            return .date(d, t.range)
        case .string(let s):
            _ = advance()
            return .string(s, t.range)
        case .header(let s):
            _ = advance()
            return .header(s, t.range)
        case .symbol("("):
            _ = advance()
            let e = try expression()
            _ = try expect(")", "\")\"")
            return e
        case .identifier(let word):
            _ = advance()
            switch word {
            case "true": return .bool(true, t.range)
            case "false": return .bool(false, t.range)
            case "null": return .null(t.range)
            default: break
            }
            if current.isSymbol("(") { return try call(word, t.range) }
            if reservedWords.contains(word), !["at", "account", "book", "ancestors", "lineage"].contains(word) {
                throw ExpressionError(message: "unexpected \"\(word)\"", range: t.range)
            }
            return .name(word, t.range)
        case .end:
            throw ExpressionError(message: "unexpected end of expression", range: t.range)
        default:
            throw ExpressionError(message: "unexpected \(t.display)", range: t.range)
        }
    }

    private mutating func call(_ name: String, _ nameRange: Range<Int>) throws(ExpressionError) -> Expression {
        _ = advance()  // (
        if let fn = AggregateFunction(rawValue: name) {
            let first = try expression()
            if current.isWord("of") {
                _ = advance()
                let src = try source(try postfix())
                return try aggregateRest(fn, nameRange, value: first, source: src)
            }
            if let src = rowSource(first) {
                return try aggregateRest(fn, nameRange, value: nil, source: src)
            }
            if fn != .min && fn != .max || !current.isSymbol(",") {
                throw ExpressionError(
                    message:
                        "expected \"of\" and a table after the value of \(name)(…), e.g. \(name)(net_amount of orders)",
                    range: current.range)
            }
            return try callRest(name, nameRange, args: [first])
        }
        if current.isSymbol(")") {
            let end = advance().range.upperBound
            return .call(name, [], nameRange.lowerBound..<end)
        }
        return try callRest(name, nameRange, args: [try expression()])
    }

    private mutating func callRest(
        _ name: String, _ nameRange: Range<Int>, args: [Expression]
    ) throws(ExpressionError) -> Expression {
        var args = args
        while current.isSymbol(",") {
            _ = advance()
            args.append(try expression())
        }
        let end = try expect(")", "\",\" or \")\"").range.upperBound
        return .call(name, args, nameRange.lowerBound..<end)
    }

    private mutating func aggregateRest(
        _ fn: AggregateFunction, _ nameRange: Range<Int>, value: Expression?, source: RowSource
    ) throws(ExpressionError) -> Expression {
        var agg = Aggregate(function: fn, functionRange: nameRange, value: value, source: source)
        while !current.isSymbol(")") {
            if current.isWord("last") || current.isWord("between") {
                if agg.window != nil { throw ExpressionError(message: "a second date window", range: current.range) }
                agg.window = try window().window
            } else if current.isWord("where") {
                if agg.filter != nil { throw ExpressionError(message: "a second \"where\"", range: current.range) }
                _ = advance()
                agg.filter = try expression()
            } else {
                throw ExpressionError(
                    message: "expected \"last\", \"between\", \"where\" or \")\", found \(current.display)",
                    range: current.range)
            }
        }
        let end = advance().range.upperBound
        return .aggregate(agg, nameRange.lowerBound..<end)
    }

    /// `table`, `book.table`, `ancestors.table` or `lineage.table`, if `e` has that shape.
    private func rowSource(_ e: Expression) -> RowSource? {
        switch e {
        case .name(let t, let r):
            return TableName(rawValue: t).map { RowSource(scope: .own, table: $0, range: r) }
        case .member(.name(let s, _), let t, let r):
            guard let scope = RowScope(rawValue: s), scope != .own, let table = TableName(rawValue: t) else {
                return nil
            }
            return RowSource(scope: scope, table: table, range: r)
        default:
            return nil
        }
    }

    private func source(_ e: Expression) throws(ExpressionError) -> RowSource {
        if let s = rowSource(e) { return s }
        let tables = TableName.allCases.map(\.rawValue).joined(separator: ", ")
        throw ExpressionError(
            message: "expected a table (\(tables)), optionally after book., ancestors. or lineage.", range: e.range)
    }
}
