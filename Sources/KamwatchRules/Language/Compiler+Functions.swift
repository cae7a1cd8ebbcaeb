import KamwatchData
import KamwatchVocabulary

/// Type-checking of function calls and text patterns.
extension Compiler {
    func textPattern(_ p: String, _ range: Range<Int>) throws(ExpressionError) -> TextPattern {
        let special = Set("\\^$.*+?()[]{}")
        if !p.contains(where: { special.contains($0) }) {
            let alts = p.lowercased().split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            if alts.contains(where: \.isEmpty) {
                throw ExpressionError(message: "empty alternative in pattern \"\(p)\"", range: range)
            }
            return TextPattern(alternatives: alts, source: p)
        }
        do {
            _ = try Regex(p)
        } catch {
            throw ExpressionError(message: "bad regular expression \"\(p)\": \(error)", range: range)
        }
        return TextPattern(alternatives: nil, source: p)
    }

    func call(_ fn: String, _ args: [Expression], _ r: Range<Int>) throws(ExpressionError) -> Typed {
        if fn == "active_on" { return try activeOn(args, r) }
        guard let f = ScalarFunction(rawValue: fn) else {
            let names = ["coalesce", "if", "abs", "round", "active_on"] + AggregateFunction.allCases.map(\.rawValue)
            throw ExpressionError(
                message: "unknown function \"\(fn)\"\(suggest(fn, names))",
                range: r.lowerBound..<(r.lowerBound + fn.unicodeScalars.count))
        }
        let typed = try args.map { (a) throws(ExpressionError) -> Typed in try compile(a) }
        func arity(_ ok: Bool, _ want: String) throws(ExpressionError) {
            if !ok { throw ExpressionError(message: "\(fn)() takes \(want)", range: r) }
        }
        switch f {
        case .coalesce, .min, .max:
            try arity(args.count >= 2, "two or more values")
            let t = typed.first { $0.type != .null }?.type ?? .null
            for (i, a) in typed.enumerated() where a.type != t && a.type != .null {
                throw ExpressionError(
                    message: "\(fn)() mixes \(article(t)) and \(article(a.type))", range: args[i].range)
            }
            if f != .coalesce {
                for (i, a) in typed.enumerated() {
                    try require(a, [.number, .duration, .day], args[i].range, "\(fn)()")
                }
            }
            return .combine(.function(f, typed), t, typed)
        case .abs:
            try arity(args.count == 1, "one value")
            try require(typed[0], [.number, .duration], args[0].range, "abs()")
            return .combine(.function(f, typed), typed[0].type == .null ? .number : typed[0].type, typed)
        case .round:
            try arity(args.count == 1 || args.count == 2, "a value and optionally a number of decimals")
            try require(typed[0], [.number], args[0].range, "round()")
            if args.count == 2 {
                guard case .number(let n) = typed[1].node, n == n.rounded(), (0...10).contains(n) else {
                    throw ExpressionError(
                        message: "round() takes a whole number of decimals from 0 to 10", range: args[1].range)
                }
            }
            return .combine(.function(f, typed), .number, typed)
        case .if:
            try arity(args.count == 3, "a condition, a value when true and a value when false")
            try require(typed[0], [.bool], args[0].range, "if()")
            let t = typed[1].type == .null ? typed[2].type : typed[1].type
            guard typed[2].type == t || typed[2].type == .null else {
                throw ExpressionError(
                    message: "if() gives \(article(t)) or \(article(typed[2].type)); both must be the same", range: r)
            }
            return .combine(.function(f, typed), t, typed)
        }
    }

    func activeOn(_ args: [Expression], _ r: Range<Int>) throws(ExpressionError) -> Typed {
        guard let row = rowTable else {
            throw ExpressionError(message: "active_on() is only available in a \"where\" over contacts", range: r)
        }
        let schema = self.schema[row]
        guard let since = schema.index(of: "since"), let until = schema.index(of: "until") else {
            throw ExpressionError(
                message: "active_on() needs since and until columns; table \(row.rawValue) has none", range: r)
        }
        guard args.count == 1 else { throw ExpressionError(message: "active_on() takes one date", range: r) }
        let d = try compile(args[0])
        try require(d, [.day], args[0].range, "active_on()")
        var t = Typed.combine(.activeOn(d, since: since, until: until), .bool, [d])
        t.usesRow = true
        return t
    }
}
