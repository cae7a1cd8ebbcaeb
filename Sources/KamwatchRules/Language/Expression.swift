import KamwatchData
import KamwatchVocabulary

/// A parsed, not yet type-checked expression; `range` is in Unicode scalars of its text.
indirect enum Expression: Sendable {
    case number(Double, Range<Int>)
    case duration(Int, Range<Int>)
    case date(Day, Range<Int>)
    case string(String, Range<Int>)
    case bool(Bool, Range<Int>)
    case null(Range<Int>)
    /// A bare name: a definition, a column of the aggregated table, or `at`.
    case name(String, Range<Int>)
    /// A header of an export, in backquotes (sources files only).
    case header(String, Range<Int>)
    /// `base.member`, e.g. `account.tier` or `orders.net_amount`.
    case member(Expression, String, Range<Int>)
    case unary(UnaryOperator, Expression, Range<Int>)
    case binary(BinaryOperator, Expression, Expression, Range<Int>)
    case isNull(Expression, negated: Bool, Range<Int>)
    case inList(Expression, [Expression], negated: Bool, Range<Int>)
    case inWindow(Expression, Window, Range<Int>)
    case call(String, [Expression], Range<Int>)
    case aggregate(Aggregate, Range<Int>)

    var range: Range<Int> {
        switch self {
        case .number(_, let r), .duration(_, let r), .date(_, let r), .string(_, let r), .bool(_, let r), .null(let r),
            .name(_, let r), .header(_, let r), .member(_, _, let r), .unary(_, _, let r), .binary(_, _, _, let r),
            .isNull(_, _, let r), .inList(_, _, _, let r), .inWindow(_, _, let r), .call(_, _, let r),
            .aggregate(_, let r):
            r
        }
    }
}

extension Expression {
    /// The expressions directly inside this one.
    var children: [Expression] {
        switch self {
        case .number, .duration, .date, .string, .bool, .null, .name, .header: []
        case .member(let x, _, _), .unary(_, let x, _), .isNull(let x, _, _): [x]
        case .binary(_, let l, let r, _): [l, r]
        case .inList(let x, let items, _, _): [x] + items
        case .inWindow(let x, let w, _): [x] + w.expressions
        case .call(_, let args, _): args
        case .aggregate(let a, _):
            [a.value, a.filter].compactMap { $0 } + (a.window?.expressions ?? [])
        }
    }
}

enum UnaryOperator: String, Sendable { case negate = "-", not }

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or, contains, matches

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }
}

/// A date window: `last N` is (AT − N, AT]; `between A and B` is (A, B].
enum Window: Sendable {
    case last(Expression)
    case between(Expression, Expression)

    var expressions: [Expression] {
        switch self {
        case .last(let n): [n]
        case .between(let a, let b): [a, b]
        }
    }
}

/// Whose rows an aggregate reads.
enum RowScope: String, Sendable {
    /// The account's own rows.
    case own
    /// Every account's rows.
    case book
    /// The rows of the account's ancestors (parent first), not its own.
    case ancestors
    /// The account's own rows and its ancestors'.
    case lineage
}

/// The table an aggregate reads, with whose rows.
struct RowSource: Sendable {
    var scope: RowScope
    var table: TableName
    var range: Range<Int>
}

/// `fn(value of source window where filter)`.
struct Aggregate: Sendable {
    var function: AggregateFunction
    var functionRange: Range<Int>
    var value: Expression?
    var source: RowSource
    var window: Window?
    var filter: Expression?
}

enum AggregateFunction: String, Sendable, CaseIterable {
    case count, sum, avg, min, max
    /// The value at the row with the latest date (first such row on ties).
    case latest
    /// The value at the row with the earliest date (first such row on ties).
    case earliest
}
