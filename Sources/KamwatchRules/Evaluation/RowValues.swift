import KamwatchData
import KamwatchVocabulary

/// The values an aggregate reads from its rows.
protocol RowValues: Sendable {
    func value(_ c: EvalContext, _ r: Int) -> Double
}

/// A plain column.
struct ColumnValues: RowValues {
    let column: [Double]

    @inline(__always)
    func value(_ c: EvalContext, _ r: Int) -> Double { column[r] }
}

/// Any other expression, bound.
struct BoundValues: RowValues {
    let f: NumberFn

    @inline(__always)
    func value(_ c: EvalContext, _ r: Int) -> Double { f(c, r) }
}

/// `a OP b` with each side a column, a constant or `coalesce(column, constant)`, as in
/// `net_amount - coalesce(cogs, 0)`: read from the columns without a call per part.
struct ArithmeticValues: RowValues {
    /// One side: a column's value (a null replaced by `fallback`), or the constant `fallback`.
    struct Operand: Sendable {
        let column: [Double]
        let isColumn: Bool
        let fallback: Double

        init?(_ t: Typed, _ binder: Binder) {
            guard t.type == .number || t.type == .duration else { return nil }
            if !t.usesAccount && !t.usesRow {
                column = []
                isColumn = false
                fallback = binder.number(t)(binder.foldContext, -1)
                return
            }
            switch t.node {
            case .rowField(let col):
                column = numbers(binder.rowTable!, col)
                fallback = .nan
            case .function(.coalesce, let args):
                guard args.count == 2, case .rowField(let col) = args[0].node, args[0].type == .number,
                    !args[1].usesAccount, !args[1].usesRow, args[1].type == .number || args[1].type == .null
                else { return nil }
                column = numbers(binder.rowTable!, col)
                fallback = binder.number(args[1])(binder.foldContext, -1)
            default:
                return nil
            }
            isColumn = true
        }

        @inline(__always)
        func value(_ r: Int) -> Double {
            if !isColumn { return fallback }
            let v = column[r]
            return v.isNaN ? fallback : v
        }
    }

    let op: ArithmeticOperator
    let a: Operand
    let b: Operand

    init?(_ t: Typed, _ binder: Binder) {
        guard case .arithmetic(let op, let x, let y) = t.node, let a = Operand(x, binder), let b = Operand(y, binder)
        else { return nil }
        self.op = op
        self.a = a
        self.b = b
    }

    @inline(__always)
    func value(_ c: EvalContext, _ r: Int) -> Double {
        let x = a.value(r)
        let y = b.value(r)
        switch op {
        case .add: return x + y
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return y == 0 ? .nan : x / y
        }
    }
}
