import KamwatchData
import KamwatchVocabulary

/// One lexical token of an expression; `range` is in Unicode scalars of the expression text.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        case number(Double)
        /// A duration literal such as `90d` or `2w`, in days.
        case duration(Int)
        /// A date literal `YYYY-MM-DD`.
        case date(Day)
        case string(String)
        /// A header of a sources file's export, written in backquotes.
        case header(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var range: Range<Int>

    /// Whether this token is the keyword (or identifier) `word`.
    func isWord(_ word: String) -> Bool {
        if case .identifier(let s) = kind { return s == word }
        return false
    }

    func isSymbol(_ symbol: String) -> Bool {
        if case .symbol(let s) = kind { return s == symbol }
        return false
    }

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let s): "\"\(s)\""
        case .number(let v): "number \(v)"
        case .duration(let d): "duration \(d)d"
        case .date(let d): "date \(d)"
        case .string(let s): "string \"\(s)\""
        case .header(let s): "header `\(s)`"
        case .symbol(let s): "\"\(s)\""
        case .end: "end of expression"
        }
    }
}

/// Words with a meaning of their own; they cannot name definitions.
let reservedWords: Set<String> = [
    "and", "or", "not", "in", "is", "null", "true", "false", "at", "of", "where", "last", "between",
    "matches", "contains", "account", "book", "ancestors", "lineage",
]
