import KamwatchData
import KamwatchVocabulary

/// Binding of numbers, dates, texts and evidence values.
extension Binder {
    // MARK: numbers

    func number(_ t: Typed) -> NumberFn {
        foldable(t) ? fold(t).number : numberUnfolded(t)
    }

    func numberUnfolded(_ t: Typed) -> NumberFn {
        switch t.node {
        case .number(let v): return { _, _ in v }
        case .null: return { _, _ in .nan }
        case .definition(let i): return definitions[i].number
        case .accountField(let col):
            let a = numbers(book.accounts, col)
            return { c, _ in a[c.account] }
        case .rowField(let col):
            let a = numbers(rowTable!, col)
            return { _, r in a[r] }
        case .negate(let x):
            let f = number(x)
            return { c, r in -f(c, r) }
        case .arithmetic(let op, let a, let b):
            if a.type == .day, b.type == .day {
                let fa = day(a)
                let fb = day(b)
                return { c, r in
                    let x = fa(c, r)
                    let y = fb(c, r)
                    return x == absentDay || y == absentDay ? .nan : Double(x) - Double(y)
                }
            }
            let fa = number(a)
            let fb = number(b)
            switch op {
            case .add: return { c, r in fa(c, r) + fb(c, r) }
            case .subtract: return { c, r in fa(c, r) - fb(c, r) }
            case .multiply: return { c, r in fa(c, r) * fb(c, r) }
            case .divide:
                return { c, r in
                    let y = fb(c, r)
                    return y == 0 ? .nan : fa(c, r) / y
                }
            }
        case .function(let f, let args):
            return numberFunction(f, args)
        case .aggregate(let agg):
            return aggregate(agg, t).number
        default:
            preconditionFailure("not a number: \(t)")
        }
    }

    /// Scalar functions. Multi-argument ones are built as balanced trees of two-argument
    /// closures: closures kept in an array would be called through reabstraction thunks.
    func numberFunction(_ f: ScalarFunction, _ args: [Typed]) -> NumberFn {
        switch f {
        case .coalesce:
            return balanced(args.map(number)) { (g, rest) -> NumberFn in
                { c, r in
                    let v = g(c, r)
                    return v.isNaN ? rest(c, r) : v
                }
            }
        case .min, .max:
            let isMin = f == .min
            return balanced(args.map(number)) { (left, right) -> NumberFn in
                { c, r in
                    let x = left(c, r)
                    let y = right(c, r)
                    if x.isNaN { return y }
                    if y.isNaN { return x }
                    return isMin ? Swift.min(x, y) : Swift.max(x, y)
                }
            }
        case .abs:
            let g = number(args[0])
            return { c, r in Swift.abs(g(c, r)) }
        case .round:
            let g = number(args[0])
            var scale = 1.0
            if args.count == 2, case .number(let n) = args[1].node {
                for _ in 0..<Int(n) { scale *= 10 }
            }
            let s = scale
            return { c, r in (g(c, r) * s).rounded() / s }
        case .if:
            let cond = bool(args[0])
            let a = number(args[1])
            let b = number(args[2])
            return { c, r in cond(c, r) ? a(c, r) : b(c, r) }
        }
    }

    // MARK: days

    func day(_ t: Typed) -> DayFn {
        foldable(t) ? fold(t).day : dayUnfolded(t)
    }

    func dayUnfolded(_ t: Typed) -> DayFn {
        switch t.node {
        case .day(let d): return { _, _ in d }
        case .null: return { _, _ in absentDay }
        case .at:
            let a = at
            return { _, _ in a }
        case .definition(let i): return definitions[i].day
        case .accountField(let col):
            let a = dates(book.accounts, col)
            return { c, _ in a[c.account] }
        case .rowField(let col):
            let a = dates(rowTable!, col)
            return { _, r in a[r] }
        case .arithmetic(let op, let a, let b):
            let (dayPart, durationPart) = a.type == .day ? (a, b) : (b, a)
            let fd = day(dayPart)
            let fn = number(durationPart)
            let sign: Double = op == .subtract ? -1 : 1
            return { c, r in
                let d = fd(c, r)
                let n = fn(c, r)
                if d == absentDay || n.isNaN { return absentDay }
                return d &+ Int32(clamping: Int64((sign * n).rounded()))
            }
        case .function(let f, let args):
            switch f {
            case .coalesce:
                return balanced(args.map(day)) { (g, rest) -> DayFn in
                    { c, r in
                        let v = g(c, r)
                        return v == absentDay ? rest(c, r) : v
                    }
                }
            case .min, .max:
                let isMin = f == .min
                return balanced(args.map(day)) { (left, right) -> DayFn in
                    { c, r in
                        let x = left(c, r)
                        let y = right(c, r)
                        if x == absentDay { return y }
                        if y == absentDay { return x }
                        return isMin ? Swift.min(x, y) : Swift.max(x, y)
                    }
                }
            case .if:
                let cond = bool(args[0])
                let a = day(args[1])
                let b = day(args[2])
                return { c, r in cond(c, r) ? a(c, r) : b(c, r) }
            default:
                preconditionFailure("not a date function: \(f)")
            }
        case .aggregate(let agg):
            return aggregate(agg, t).day
        default:
            preconditionFailure("not a date: \(t)")
        }
    }

    // MARK: text

    func text(_ t: Typed) -> TextFn {
        foldable(t) ? fold(t).text : textUnfolded(t)
    }

    func textUnfolded(_ t: Typed) -> TextFn {
        switch t.node {
        case .text(let s): return { _, _ in s }
        case .null: return { _, _ in nil }
        case .definition(let i): return definitions[i].text
        case .accountField(let col):
            let a = texts(book.accounts, col)
            return { c, _ in a[c.account] }
        case .rowField(let col):
            let a = texts(rowTable!, col)
            return { _, r in a[r] }
        case .function(let f, let args):
            let fs = args.dropFirst(f == .if ? 1 : 0).map(text)
            if f == .if {
                let cond = bool(args[0])
                return { c, r in cond(c, r) ? fs[0](c, r) : fs[1](c, r) }
            }
            return { c, r in
                for g in fs {
                    if let v = g(c, r) { return v }
                }
                return nil
            }
        case .aggregate(let agg):
            return aggregate(agg, t).text
        default:
            preconditionFailure("not a text: \(t)")
        }
    }

    // MARK: values

    func value(_ t: Typed) -> ValueFn {
        switch t.type {
        case .number, .duration, .null:
            let f = number(t)
            return { c, r in
                let v = f(c, r)
                return v.isNaN ? .null : .number(v)
            }
        case .day:
            let f = day(t)
            return { c, r in
                let v = f(c, r)
                return v == absentDay ? .null : .day(v)
            }
        case .bool:
            let f = bool(t)
            return { c, r in .bool(f(c, r)) }
        case .text:
            let f = text(t)
            return { c, r in f(c, r).map(RuleValue.text) ?? .null }
        }
    }
}
