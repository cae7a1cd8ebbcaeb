import KamwatchData
import KamwatchVocabulary

/// The static type of an expression.
enum ValueType: String, Sendable, Equatable {
    case number, duration, day = "date", text, bool = "true/false", null

    /// Numbers and durations share one runtime representation (`Double`, NaN = null).
    var isNumeric: Bool { self == .number || self == .duration }
}

enum ArithmeticOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }

enum ScalarFunction: String, Sendable {
    case coalesce, abs, round, min, max
    case `if`
}

/// A case-insensitive text pattern for `matches`.
struct TextPattern: Sendable, CustomStringConvertible {
    /// Lower-cased alternatives when the pattern is just `a|b|c` (substring matches).
    var alternatives: [String]?
    var source: String
    var description: String { "/\(source)/" }
}

/// A type-checked expression node with what it depends on.
struct Typed: Sendable, CustomStringConvertible {
    var node: IR
    var type: ValueType
    /// Depends on the account being evaluated.
    var usesAccount: Bool
    /// Depends on the row of the enclosing aggregate.
    var usesRow: Bool
    /// Refers to a rule-local definition.
    var usesDefinition: Bool

    var description: String { "\(node):\(type.rawValue)" }

    static func constant(_ node: IR, _ type: ValueType) -> Typed {
        Typed(node: node, type: type, usesAccount: false, usesRow: false, usesDefinition: false)
    }

    /// Combines the dependencies of `parts` into a node of type `type`.
    static func combine(_ node: IR, _ type: ValueType, _ parts: [Typed]) -> Typed {
        Typed(
            node: node, type: type,
            usesAccount: parts.contains { $0.usesAccount },
            usesRow: parts.contains { $0.usesRow },
            usesDefinition: parts.contains { $0.usesDefinition })
    }
}

/// The typed IR of the expression language.
indirect enum IR: Sendable {
    case number(Double)
    case day(Int32)
    case text(String)
    case bool(Bool)
    case null
    case at
    case accountField(Int)
    case rowField(Int)
    case definition(Int)
    case negate(Typed)
    case not(Typed)
    case arithmetic(ArithmeticOperator, Typed, Typed)
    case compare(BinaryOperator, Typed, Typed)
    case and(Typed, Typed)
    case or(Typed, Typed)
    case isNull(Typed, negated: Bool)
    case inList(Typed, [Typed], negated: Bool)
    case inWindow(Typed, low: Typed, high: Typed)
    case contains(Typed, String)
    case matches(Typed, TextPattern)
    case function(ScalarFunction, [Typed])
    case activeOn(Typed, since: Int, until: Int)
    case aggregate(TypedAggregate)
}

/// A type-checked aggregate.
struct TypedAggregate: Sendable, CustomStringConvertible {
    var function: AggregateFunction
    var scope: RowScope
    var table: TableName
    var value: Typed?
    /// (low, high]: both days; `nil` when the aggregate reads all rows up to AT.
    var window: (low: Typed, high: Typed)?
    var filter: Typed?

    var description: String {
        let w = window.map { "(\($0.low),\($0.high)]" } ?? "all"
        return
            "\(function.rawValue)(\(value.map(\.description) ?? "*") of \(scope.rawValue).\(table.rawValue) \(w) where \(filter.map(\.description) ?? "true"))"
    }
}

extension IR: CustomStringConvertible {
    /// The node and all below it as text, one text per structure (`Binder`'s keys for shared
    /// values), written out case by case: printing by reflection costs a dynamic cast per
    /// value, milliseconds for a rule set.
    var description: String {
        switch self {
        case .number(let v): "number(\(v))"
        case .day(let d): "day(\(d))"
        case .text(let s): "text(\(s.debugDescription))"
        case .bool(let b): "bool(\(b))"
        case .null: "null"
        case .at: "at"
        case .accountField(let i): "accountField(\(i))"
        case .rowField(let i): "rowField(\(i))"
        case .definition(let i): "definition(\(i))"
        case .negate(let t): "negate(\(t))"
        case .not(let t): "not(\(t))"
        case .arithmetic(let op, let a, let b): "arithmetic(\(op.rawValue), \(a), \(b))"
        case .compare(let op, let a, let b): "compare(\(op.rawValue), \(a), \(b))"
        case .and(let a, let b): "and(\(a), \(b))"
        case .or(let a, let b): "or(\(a), \(b))"
        case .isNull(let t, let negated): "isNull(\(t), negated: \(negated))"
        case .inList(let t, let list, let negated):
            "inList(\(t), [\(list.map(\.description).joined(separator: ", "))], negated: \(negated))"
        case .inWindow(let t, let low, let high): "inWindow(\(t), low: \(low), high: \(high))"
        case .contains(let t, let s): "contains(\(t), \(s.debugDescription))"
        case .matches(let t, let p): "matches(\(t), \(p))"
        case .function(let f, let args):
            "function(\(f.rawValue), [\(args.map(\.description).joined(separator: ", "))])"
        case .activeOn(let t, let since, let until): "activeOn(\(t), since: \(since), until: \(until))"
        case .aggregate(let a): "aggregate(\(a))"
        }
    }
}
