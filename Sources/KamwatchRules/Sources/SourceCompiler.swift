import KamwatchData
import KamwatchVocabulary

/// Compiles a sources file's `where` and `expr` (the rule language's expressions, plus
/// headers in backquotes and text functions) into closures over a row, once.
struct SourceCompiler {
    /// What a compiled node gives; a header's cell is text until the context wants a number or date.
    enum Kind: Equatable { case number, day, text, bool, null }

    struct Node {
        var kind: Kind
        /// A header's cell: read again as a number or date where one is wanted.
        var header: Int?
        var run: @Sendable (borrowing SourceRow) throws(SourceCellError) -> SourceValue
        /// The text `run` gives, written as bytes; only for text that needs no `String`.
        var write: TextWriter? = nil
    }

    typealias Run = @Sendable (borrowing SourceRow) throws(SourceCellError) -> SourceValue

    /// Index of a header (as written) among the block's headers; adds it when new.
    var header: (String, Range<Int>) -> Int
    /// A mapped column of the block by name, if there is one.
    var column: (String) -> Node?

    func compile(_ e: Expression, want: Kind? = nil) throws(ExpressionError) -> Node {
        let node = try compileAny(e)
        guard let want, let h = node.header, node.kind == .text else { return node }
        return reread(h, as: want) ?? node
    }

    /// A header's cell read as a number or a date by the block's rules.
    private func reread(_ h: Int, as want: Kind) -> Node? {
        switch want {
        case .number:
            return Node(kind: .number, header: h) { (row) throws(SourceCellError) in
                try row.number(h).map(SourceValue.number) ?? .null
            }
        case .day:
            return Node(kind: .day, header: h) { (row) throws(SourceCellError) in
                try row.day(h).map(SourceValue.day) ?? .null
            }
        default: return nil
        }
    }

    private func constant(_ v: SourceValue, _ kind: Kind) -> Node { Node(kind: kind, header: nil) { _ in v } }

    private func compileAny(_ e: Expression) throws(ExpressionError) -> Node {
        switch e {
        case .number(let v, _): return constant(.number(v), .number)
        case .date(let d, _): return constant(.day(d.ordinal), .day)
        case .string(let s, _):
            var node = constant(.text(s), .text)
            let bytes = Array(s.utf8)
            node.write = { _, out in
                bytes.withUnsafeBufferPointer { if let p = $0.baseAddress { out.append(p, $0.count) } }
                return .text
            }
            return node
        case .bool(let b, _): return constant(.bool(b), .bool)
        case .null: return constant(.null, .null)
        case .header(let name, let r):
            return Self.headerNode(header(name, r))
        case .name(let n, let r):
            guard let node = column(n) else {
                throw ExpressionError(
                    message: "no column \"\(n)\" in this block (write an export's header in backquotes: `\(n)`)",
                    range: r)
            }
            return node
        case .unary(.negate, let x, _):
            let t = try number(x)
            let run = t.run
            return Node(kind: .number, header: nil) { (row) throws(SourceCellError) in
                if case .number(let v) = try run(row) { return .number(-v) }
                return .null
            }
        case .unary(.not, let x, _):
            let run = try bool(x).run
            return Node(kind: .bool, header: nil) { (row) throws(SourceCellError) in .bool(try run(row) != .bool(true))
            }
        case .binary(let op, let l, let r, let range): return try binary(op, l, r, range)
        case .isNull(let x, let negated, _):
            let run = try compile(x).run
            return Node(kind: .bool, header: nil) { (row) throws(SourceCellError) in
                .bool((try run(row) == .null) != negated)
            }
        case .inList(let x, let items, let negated, _):
            var value = try compile(x)
            let list = try items.map { (item) throws(ExpressionError) in try compile(item) }
            if let want = list.first(where: { $0.kind != .text && $0.kind != .null })?.kind {
                value = try compile(x, want: want)
            }
            let run = value.run
            let runs = list.map(\.run)
            return Node(kind: .bool, header: nil) { (row) throws(SourceCellError) in
                let v = try run(row)
                if v == .null { return .bool(false) }
                for item in runs where try item(row) == v { return .bool(!negated) }
                return .bool(negated)
            }
        case .call(let fn, let args, let r): return try call(fn, args, r)
        case .duration(_, let r), .member(_, _, let r), .inWindow(_, _, let r), .aggregate(_, let r):
            throw ExpressionError(message: "not available in a sources file (it reads one row)", range: r)
        }
    }

    private func number(_ e: Expression) throws(ExpressionError) -> Node {
        let t = try compile(e, want: .number)
        guard t.kind == .number || t.kind == .null else {
            throw ExpressionError(message: "a number is needed here", range: e.range)
        }
        return t
    }

    private func bool(_ e: Expression) throws(ExpressionError) -> Node {
        let t = try compile(e)
        guard t.kind == .bool || t.kind == .null else {
            throw ExpressionError(message: "true/false is needed here (a comparison)", range: e.range)
        }
        return t
    }

    private func text(_ e: Expression) throws(ExpressionError) -> Run {
        let t = try compile(e)
        let run = t.run
        return { (row) throws(SourceCellError) in
            let v = try run(row)
            return v.cellText.map(SourceValue.text) ?? .null
        }
    }

    private func binary(
        _ op: BinaryOperator, _ l: Expression, _ r: Expression, _ range: Range<Int>
    )
        throws(ExpressionError) -> Node
    {
        switch op {
        case .and, .or:
            let a = try bool(l).run
            let b = try bool(r).run
            let isAnd = op == .and
            return Node(kind: .bool, header: nil) { (row) throws(SourceCellError) in
                let x = try a(row) == .bool(true)
                if isAnd && !x { return .bool(false) }
                if !isAnd && x { return .bool(true) }
                return .bool(try b(row) == .bool(true))
            }
        case .add, .subtract, .multiply, .divide:
            var a = try compile(l)
            var b = try compile(r)
            if op == .add && (a.kind == .text && a.header == nil || b.kind == .text && b.header == nil) {
                let x = a.run
                let y = b.run
                var node = Node(kind: .text, header: nil) { (row) throws(SourceCellError) in
                    guard let s = try x(row).cellText, let t = try y(row).cellText else { return .null }
                    return .text(s + t)
                }
                if let u = a.write, let v = b.write {
                    // Null when either side is null or empty, as `cellText` makes it above.
                    node.write = { row, out in
                        let start = out.count
                        switch u(row, out) {
                        case .unsure: return .unsure
                        case .text where out.count > start: break
                        default:
                            out.truncate(to: start)
                            return .null
                        }
                        let middle = out.count
                        switch v(row, out) {
                        case .unsure: return .unsure
                        case .text where out.count > middle: return .text
                        default:
                            out.truncate(to: start)
                            return .null
                        }
                    }
                }
                return node
            }
            a = try number(l)
            b = try number(r)
            let x = a.run
            let y = b.run
            return Node(kind: .number, header: nil) { (row) throws(SourceCellError) in
                guard case .number(let u) = try x(row), case .number(let v) = try y(row) else { return .null }
                switch op {
                case .add: return .number(u + v)
                case .subtract: return .number(u - v)
                case .multiply: return .number(u * v)
                default: return v == 0 ? .null : .number(u / v)
                }
            }
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual:
            var a = try compile(l)
            var b = try compile(r)
            if a.header != nil && a.kind == .text && b.kind != .text && b.kind != .null {
                a = try compile(l, want: b.kind)
            } else if b.header != nil && b.kind == .text && a.kind != .text && a.kind != .null {
                b = try compile(r, want: a.kind)
            }
            guard a.kind == b.kind || a.kind == .null || b.kind == .null else {
                throw ExpressionError(message: "cannot compare \(a.kind) with \(b.kind)", range: range)
            }
            // The common `header == "text"`: compare the cell's bytes, no `String` per row.
            if op == .equal || op == .notEqual, let h = a.header, a.kind == .text, case .string(let s, _) = r {
                let bytes = Array(s.utf8)
                let equal = op == .equal
                return Node(kind: .bool, header: nil) { row in
                    if row.isEmpty(h) { return .bool(false) }
                    return .bool(row.equals(h, bytes) == equal)
                }
            }
            let x = a.run
            let y = b.run
            return Node(kind: .bool, header: nil) { (row) throws(SourceCellError) in
                let u = try x(row)
                let v = try y(row)
                let order: Int
                switch (u, v) {
                case (.number(let p), .number(let q)): order = p < q ? -1 : p > q ? 1 : 0
                case (.day(let p), .day(let q)): order = p < q ? -1 : p > q ? 1 : 0
                case (.text(let p), .text(let q)): order = p < q ? -1 : p > q ? 1 : 0
                case (.bool(let p), .bool(let q)): order = p == q ? 0 : 1
                default: return .bool(false)
                }
                switch op {
                case .equal: return .bool(order == 0)
                case .notEqual: return .bool(order != 0)
                case .less: return .bool(order < 0)
                case .lessEqual: return .bool(order <= 0)
                case .greater: return .bool(order > 0)
                default: return .bool(order >= 0)
                }
            }
        case .contains:
            let a = try text(l)
            let b = try text(r)
            return Node(kind: .bool, header: nil) { (row) throws(SourceCellError) in
                guard case .text(let s) = try a(row), case .text(let t) = try b(row) else { return .bool(false) }
                return .bool(s.contains(t))
            }
        case .matches:
            throw ExpressionError(message: "\"matches\" is not available in a sources file", range: range)
        }
    }
}

extension SourceCompiler {
    /// A header's cell as text: null when empty (cells are trimmed already).
    static func headerNode(_ h: Int) -> Node {
        var node = Node(kind: .text, header: h) { row in row.text(h).map(SourceValue.text) ?? .null }
        node.write = { row, out in row.write(h, to: out) ? .text : .null }
        return node
    }
}
