import KamwatchData
import KamwatchVocabulary

/// Recursive-descent parser of the expression language.
///
/// Precedence, loosest first: `or`; `and`; `not`; comparisons (`==`, `<`, `in`, `is null`,
/// `contains`, `matches`); `+ -`; `* /`; unary `-`; member access and calls.
struct Parser {
    /// How deep expressions may nest: parentheses, `-` and `not` chains, calls, and the tree a
    /// chain of operators builds. The compiler and the evaluator recurse this deep, no deeper.
    static let maxDepth = 100
    /// Chains of one operator longer than this are grouped as a balanced tree (see `chain`).
    static let balanceAbove = 16

    private var tokens: [Token]
    private var p = 0
    /// How deep the parser has recursed.
    private var nesting = 0
    /// The depth of each composite node built so far, by its range (a node's range differs from
    /// its children's), so that checking a new node's depth never walks its subtree.
    private var depths: [Range<Int>: Int] = [:]

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

    private mutating func expression() throws(ExpressionError) -> Expression {
        try descend()
        defer { nesting -= 1 }
        return try checked(try or())
    }

    /// Counts one level of the parser's recursion; deeper than `maxDepth` is an error.
    private mutating func descend() throws(ExpressionError) {
        nesting += 1
        if nesting > Self.maxDepth { throw Self.tooDeep(current.range) }
    }

    static func tooDeep(_ range: Range<Int>) -> ExpressionError {
        ExpressionError(message: "nesting deeper than \(maxDepth)", range: range)
    }

    /// `e`, a node just built, if its tree is no deeper than `maxDepth`.
    private mutating func checked(_ e: Expression) throws(ExpressionError) -> Expression {
        let d = 1 + (e.children.map { depths[$0.range] ?? 1 }.max() ?? 0)
        if d > Self.maxDepth { throw Self.tooDeep(e.range) }
        if d > 1 { depths[e.range] = d }
        return e
    }

    /// Joins `operands` with `ops` (`ops[i]` before `operands[i + 1]`) as the left-to-right
    /// fold they denote. A long run of one operator becomes a balanced tree instead of a chain
    /// as deep as it is long: `a + b + …` and `a * b * …` are regrouped, `a - b - …` becomes
    /// `a - (b + …)` and `a / b / …` becomes `a / (b * …)`.
    private mutating func chain(_ operands: [Expression], _ ops: [BinaryOperator]) throws(ExpressionError) -> Expression
    {
        var l = operands[0]
        var i = 0
        while i < ops.count {
            var j = i
            while j < ops.count, ops[j] == ops[i] { j += 1 }
            let run = Array(operands[(i + 1)...j])
            if run.count < Self.balanceAbove {
                for (k, r) in run.enumerated() {
                    l = try checked(.binary(ops[i + k], l, r, l.range.lowerBound..<r.range.upperBound))
                }
            } else {
                let op = ops[i]
                let grouping: BinaryOperator =
                    switch op {
                    case .subtract: .add
                    case .divide: .multiply
                    default: op
                    }
                if i == 0 && grouping == op {
                    l = try balanced([l] + run, grouping)
                } else {
                    let r = try balanced(run, grouping)
                    l = try checked(.binary(op, l, r, l.range.lowerBound..<r.range.upperBound))
                }
            }
            i = j
        }
        return l
    }

    private mutating func balanced(
        _ operands: [Expression], _ op: BinaryOperator
    ) throws(ExpressionError) -> Expression {
        var level = operands
        while level.count > 1 {
            var next: [Expression] = []
            next.reserveCapacity(level.count / 2 + 1)
            var k = 0
            while k + 1 < level.count {
                let (a, b) = (level[k], level[k + 1])
                next.append(try checked(.binary(op, a, b, a.range.lowerBound..<b.range.upperBound)))
                k += 2
            }
            if k < level.count { next.append(level[k]) }
            level = next
        }
        return level[0]
    }

    private mutating func or() throws(ExpressionError) -> Expression {
        var operands = [try and()]
        var ops: [BinaryOperator] = []
        while current.isWord("or") {
            _ = advance()
            ops.append(.or)
            operands.append(try and())
        }
        return try chain(operands, ops)
    }

    private mutating func and() throws(ExpressionError) -> Expression {
        var operands = [try not()]
        var ops: [BinaryOperator] = []
        while current.isWord("and") {
            _ = advance()
            ops.append(.and)
            operands.append(try not())
        }
        return try chain(operands, ops)
    }

    private mutating func not() throws(ExpressionError) -> Expression {
        if current.isWord("not") {
            try descend()
            defer { nesting -= 1 }
            let t = advance()
            let e = try not()
            return try checked(.unary(.not, e, t.range.lowerBound..<e.range.upperBound))
        }
        return try comparison()
    }

    private mutating func comparison() throws(ExpressionError) -> Expression {
        let l = try additive()
        let start = l.range.lowerBound
        if case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s), op.isComparison {
            _ = advance()
            let r = try additive()
            return try checked(.binary(op, l, r, start..<r.range.upperBound))
        }
        if current.isWord("contains") || current.isWord("matches") {
            let op: BinaryOperator = current.isWord("contains") ? .contains : .matches
            _ = advance()
            let r = try additive()
            return try checked(.binary(op, l, r, start..<r.range.upperBound))
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
            return try checked(.isNull(l, negated: negated, start..<end))
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
                return try checked(.inWindow(l, w.window, start..<w.end))
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
            return try checked(.inList(l, items, negated: negated, start..<end))
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
        var operands = [try multiplicative()]
        var ops: [BinaryOperator] = []
        while current.isSymbol("+") || current.isSymbol("-") {
            ops.append(current.isSymbol("+") ? .add : .subtract)
            _ = advance()
            operands.append(try multiplicative())
        }
        return try chain(operands, ops)
    }

    private mutating func multiplicative() throws(ExpressionError) -> Expression {
        var operands = [try unary()]
        var ops: [BinaryOperator] = []
        while current.isSymbol("*") || current.isSymbol("/") {
            ops.append(current.isSymbol("*") ? .multiply : .divide)
            _ = advance()
            operands.append(try unary())
        }
        return try chain(operands, ops)
    }

    private mutating func unary() throws(ExpressionError) -> Expression {
        if current.isSymbol("-") {
            try descend()
            defer { nesting -= 1 }
            let t = advance()
            let e = try unary()
            return try checked(.unary(.negate, e, t.range.lowerBound..<e.range.upperBound))
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
            e = try checked(.member(e, member, e.range.lowerBound..<end))
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
            return try checked(.call(name, [], nameRange.lowerBound..<end))
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
        return try checked(.call(name, args, nameRange.lowerBound..<end))
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
        return try checked(.aggregate(agg, nameRange.lowerBound..<end))
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
