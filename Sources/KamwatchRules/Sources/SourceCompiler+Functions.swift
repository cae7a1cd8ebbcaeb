import Foundation
import KamwatchData
import KamwatchVocabulary

extension SourceCompiler {
    /// `coalesce`, `if`, `abs`, the text functions and `number` / `date` (SPEC §6).
    func call(_ fn: String, _ args: [Expression], _ range: Range<Int>) throws(ExpressionError) -> Node {
        func arity(_ n: Int) throws(ExpressionError) {
            guard args.count == n else {
                throw ExpressionError(message: "\(fn)(…) takes \(n) argument\(n == 1 ? "" : "s")", range: range)
            }
        }
        func texts() throws(ExpressionError) -> [Run] {
            try args.map { (a) throws(ExpressionError) in try textRun(a) }
        }
        switch fn {
        case "coalesce":
            guard !args.isEmpty else { throw ExpressionError(message: "coalesce(…) needs arguments", range: range) }
            var nodes = try args.map { (a) throws(ExpressionError) in try compile(a) }
            if let want = nodes.first(where: { $0.header == nil && $0.kind != .null })?.kind {
                nodes = try args.map { (a) throws(ExpressionError) in try compile(a, want: want) }
            }
            let runs = nodes.map(\.run)
            var node = Node(kind: nodes.first { $0.kind != .null }?.kind ?? .null, header: nil) {
                (row) throws(SourceCellError) in
                for run in runs {
                    let v = try run(row)
                    if v != .null { return v }
                }
                return .null
            }
            let writers = nodes.compactMap(\.write)
            if node.kind == .text && writers.count == nodes.count {
                node.write = { row, out in
                    for w in writers {
                        let r = w(row, out)
                        if case .null = r { continue }
                        return r
                    }
                    return .null
                }
            }
            return node
        case "if":
            try arity(3)
            let condition = try compile(args[0]).run
            var a = try compile(args[1])
            var b = try compile(args[2])
            if a.header == nil, a.kind != .null, a.kind != .text { b = try compile(args[2], want: a.kind) }
            if b.header == nil, b.kind != .null, b.kind != .text { a = try compile(args[1], want: b.kind) }
            let x = a.run
            let y = b.run
            return Node(kind: a.kind == .null ? b.kind : a.kind, header: nil) { (row) throws(SourceCellError) in
                try condition(row) == .bool(true) ? try x(row) : try y(row)
            }
        case "abs":
            try arity(1)
            let x = try compile(args[0], want: .number).run
            return Node(kind: .number, header: nil) { (row) throws(SourceCellError) in
                if case .number(let v) = try x(row) { return .number(Swift.abs(v)) }
                return .null
            }
        case "before", "after":
            try arity(2)
            let t = try texts()
            let before = fn == "before"
            return textNode { (row) throws(SourceCellError) in
                guard let s = try t[0](row).cellText else { return nil }
                guard let sep = try t[1](row).cellText, let r = s.range(of: sep) else { return s }
                return String(before ? s[..<r.lowerBound] : s[r.upperBound...])
            }
        case "trim", "lower", "upper":
            try arity(1)
            let t = try texts()
            var node = textNode { (row) throws(SourceCellError) in
                guard let s = try t[0](row).cellText else { return nil }
                switch fn {
                case "trim": return s.trimmingCharacters()
                case "lower": return s.lowercased()
                default: return s.uppercased()
                }
            }
            if fn == "trim", let w = try compile(args[0]).write {
                // Null when the argument is null or empty; white space trimmed by bytes where
                // the text's edges allow it.
                node.write = { row, out in
                    let start = out.count
                    switch w(row, out) {
                    case .unsure: return .unsure
                    case .text where out.count > start: return out.trimSpaces(from: start) ? .text : .unsure
                    default:
                        out.truncate(to: start)
                        return .null
                    }
                }
            }
            return node
        case "replace":
            try arity(3)
            let t = try texts()
            return textNode { (row) throws(SourceCellError) in
                guard let s = try t[0](row).cellText else { return nil }
                guard let a = try t[1](row).cellText else { return s }
                return s.replacing(a, with: try t[2](row).cellText ?? "")
            }
        case "number", "date":
            try arity(1)
            let node = try compile(args[0])
            if let h = node.header {
                return try compile(args[0], want: fn == "number" ? .number : .day)
                    .withHeader(h)
            }
            let t = try textRun(args[0])
            if fn == "number" {
                return Node(kind: .number, header: nil) { (row) throws(SourceCellError) in
                    guard case .text(let s) = try t(row) else { return .null }
                    return try row.number(text: s, header: -1).map(SourceValue.number) ?? .null
                }
            }
            return Node(kind: .day, header: nil) { (row) throws(SourceCellError) in
                guard case .text(let s) = try t(row) else { return .null }
                return try row.day(text: s, header: -1).map(SourceValue.day) ?? .null
            }
        default:
            throw ExpressionError(
                message:
                    "unknown function \"\(fn)\" (a sources file has coalesce, if, abs, before, after, trim, lower, upper, replace, number, date)",
                range: range)
        }
    }

    /// A value as text (null stays null).
    func textRun(_ e: Expression) throws(ExpressionError) -> Run {
        let run = try compile(e).run
        return { (row) throws(SourceCellError) in try run(row).cellText.map(SourceValue.text) ?? .null }
    }

    private func textNode(_ body: @escaping @Sendable (borrowing SourceRow) throws(SourceCellError) -> String?) -> Node
    {
        Node(kind: .text, header: nil) { (row) throws(SourceCellError) in try body(row).map(SourceValue.text) ?? .null }
    }
}

extension SourceCompiler.Node {
    /// The same node, no longer re-readable as another kind.
    fileprivate func withHeader(_ h: Int) -> SourceCompiler.Node {
        SourceCompiler.Node(kind: kind, header: nil, run: run)
    }
}

extension String {
    /// Without leading and trailing white space (no-break spaces included).
    fileprivate func trimmingCharacters() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...lastIndex(where: { !isSpace($0) })!])
    }
}
